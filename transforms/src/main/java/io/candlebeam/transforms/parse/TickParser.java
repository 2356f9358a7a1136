package io.candlebeam.transforms.parse;

import static io.candlebeam.transforms.parse.JsonValues.*;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.candlebeam.transforms.model.Tick;
import java.io.IOException;

/**
 * Parses one Binance 24h-ticker JSON object into a {@link Tick}, strictly.
 *
 * <p>Accepted: a single JSON object with {@code symbol} (1–32 characters of {@code
 * [A-Za-z0-9._-]}), {@code event_time} (a JSON integer, epoch ms in [2000-01-01, 2100-01-01)) and
 * {@code price} (a finite JSON number &gt; 0). Optional: {@code open}, {@code high}, {@code low},
 * {@code volume}, {@code quote_volume}, {@code price_change}, {@code price_change_percent} (finite
 * JSON numbers), {@code number_trades} (a JSON integer) and {@code timestamp} (a string); each may
 * be missing or {@code null}. Unknown fields are ignored. Numbers given as strings are a wrong type,
 * and a number beyond double range (such as {@code 1e400}) is rejected, never turned into infinity.
 */
public final class TickParser implements RecordParser<Tick> {
  /** 2000-01-01T00:00:00Z: ticks before it are taken for a unit mistake (seconds, not ms). */
  public static final long MIN_EVENT_TIME = 946_684_800_000L;
  /** 2100-01-01T00:00:00Z. */
  public static final long MAX_EVENT_TIME = 4_102_444_800_000L;

  /**
   * The common well-formed record is read by {@link FastTickReader}; anything it does not take
   * (and every malformed record) by the full JSON reader, whose results and errors are the
   * reference: the fast path accepts a record only when it gives the same tick.
   */
  @Override
  public Tick parse(String payload) throws MalformedRecordException {
    Tick fast = FastTickReader.read(payload);
    return fast != null ? fast : object(payload, TickFields::new);
  }

  /** The full, strict JSON reader alone (the reference of {@link FastTickReader}; for tests). */
  static Tick parseFully(String payload) throws MalformedRecordException {
    return object(payload, TickFields::new);
  }

  /**
   * The {@code event_time} of a tick's JSON bytes, read without parsing the rest, or null if there
   * is none a full parse would accept (the record will then be a dead letter).
   */
  public static Long eventTimeOf(byte[] json) {
    return timeOf(json, "event_time");
  }

  /** A tick's fields as read (by either reader); {@link #build} checks them. */
  static final class TickFields implements Fields<Tick> {
    String symbol;
    Long eventTime;
    Double price;
    Double open;
    Double high;
    Double low;
    Double volume;
    Double quoteVolume;
    Long trades;
    Double change;
    Double changePercent;
    String timestamp;

    @Override
    public void read(String field, JsonToken value, JsonParser p)
        throws IOException, MalformedRecordException {
      switch (field) {
        case "symbol" -> symbol = string(p, value, field);
        case "event_time" -> eventTime = integer(p, value, field);
        case "price" -> price = number(p, value, field);
        case "open" -> open = number(p, value, field);
        case "high" -> high = number(p, value, field);
        case "low" -> low = number(p, value, field);
        case "volume" -> volume = number(p, value, field);
        case "quote_volume" -> quoteVolume = number(p, value, field);
        case "number_trades" -> trades = integer(p, value, field);
        case "price_change" -> change = number(p, value, field);
        case "price_change_percent" -> changePercent = number(p, value, field);
        case "timestamp" -> timestamp = string(p, value, field);
        default -> p.skipChildren();
      }
    }

    @Override
    public Tick build() throws MalformedRecordException {
      if (symbol == null) {
        throw new MalformedRecordException("required field 'symbol' is missing or null");
      }
      if (!SYMBOL.matcher(symbol).matches()) {
        throw new MalformedRecordException("field 'symbol' must be 1-32 characters of "
            + "[A-Za-z0-9._-], got '" + clip(symbol) + "'");
      }
      if (eventTime == null) {
        throw new MalformedRecordException("required field 'event_time' is missing or null");
      }
      if (eventTime < MIN_EVENT_TIME || eventTime >= MAX_EVENT_TIME) {
        throw new MalformedRecordException(
            "field 'event_time' must be epoch milliseconds in [2000-01-01, 2100-01-01), got "
                + eventTime);
      }
      if (price == null) {
        throw new MalformedRecordException("required field 'price' is missing or null");
      }
      if (price <= 0) {
        throw new MalformedRecordException("field 'price' must be > 0, got " + price);
      }
      return new Tick(symbol, eventTime, price, open, high, low, volume, quoteVolume, trades, change,
          changePercent, timestamp);
    }
  }
}
