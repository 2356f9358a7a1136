package io.candlebeam.transforms.parse;

import static io.candlebeam.transforms.parse.JsonValues.*;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.candlebeam.transforms.model.Trade;
import java.io.IOException;
import java.math.BigDecimal;

/**
 * Parses one Binance trade-stream payload into a {@link Trade}, strictly.
 *
 * <p>Accepted: a single JSON object with {@code e} = {@code "trade"} or {@code "aggTrade"}, {@code
 * s} (symbol, 1–32 characters of {@code [A-Za-z0-9._-]}), {@code T} (trade time, a JSON integer of
 * epoch ms in [2000-01-01, 2100-01-01)), {@code p} and {@code q} (price and quantity, plain
 * decimals &gt; 0, as strings as Binance sends them or as JSON numbers, kept exact), {@code m}
 * (buyer is maker, a boolean), and the id: {@code t} for a trade; {@code a}, {@code f} and {@code
 * l} (aggregate id, first and last trade id, {@code f ≤ l}) for an aggTrade; ids are integers ≥ 0.
 * Optional: {@code E} (event time). Unknown fields (such as {@code M}) are ignored.
 */
public final class TradeParser implements RecordParser<Trade> {

  @Override
  public Trade parse(String payload) throws MalformedRecordException {
    return object(payload, TradeFields::new);
  }

  /** The trade time {@code T} of a trade's JSON bytes, or null if a full parse would reject it. */
  public static Long tradeTimeOf(byte[] json) {
    return timeOf(json, "T");
  }

  /** A trade's fields as read; {@link #build} checks them. */
  private static final class TradeFields implements Fields<Trade> {
    private String type;
    private String symbol;
    private Long tradeTime;
    private Long eventTime;
    private Long tradeId;
    private Long aggregateId;
    private Long firstId;
    private Long lastId;
    private BigDecimal price;
    private BigDecimal quantity;
    private Boolean buyerIsMaker;

    @Override
    public void read(String field, JsonToken value, JsonParser p)
        throws IOException, MalformedRecordException {
      switch (field) {
        case "e" -> type = string(p, value, field);
        case "s" -> symbol = string(p, value, field);
        case "T" -> tradeTime = integer(p, value, field);
        case "E" -> eventTime = integer(p, value, field);
        case "t" -> tradeId = integer(p, value, field);
        case "a" -> aggregateId = integer(p, value, field);
        case "f" -> firstId = integer(p, value, field);
        case "l" -> lastId = integer(p, value, field);
        case "p" -> price = decimal(p, value, field);
        case "q" -> quantity = decimal(p, value, field);
        case "m" -> buyerIsMaker = bool(p, value, field);
        default -> p.skipChildren();
      }
    }

    @Override
    public Trade build() throws MalformedRecordException {
      boolean aggregate = "aggTrade".equals(type);
      if (!aggregate && !"trade".equals(type)) {
        throw new MalformedRecordException(type == null
            ? "required field 'e' (event type) is missing or null"
            : "field 'e' must be \"trade\" or \"aggTrade\", got \"" + clip(type) + "\"");
      }
      require(symbol, "s", "symbol");
      if (!SYMBOL.matcher(symbol).matches()) {
        throw new MalformedRecordException(
            "field 's' must be 1-32 characters of [A-Za-z0-9._-], got '" + clip(symbol) + "'");
      }
      require(tradeTime, "T", "trade time");
      if (tradeTime < TickParser.MIN_EVENT_TIME || tradeTime >= TickParser.MAX_EVENT_TIME) {
        throw new MalformedRecordException(
            "field 'T' must be epoch milliseconds in [2000-01-01, 2100-01-01), got " + tradeTime);
      }
      long id;
      long from;
      long to;
      if (aggregate) {
        id = nonNegative(aggregateId, "a", "aggregate trade id");
        from = nonNegative(firstId, "f", "first trade id");
        to = nonNegative(lastId, "l", "last trade id");
        if (to < from) {
          throw new MalformedRecordException(
              "field 'l' (last trade id " + to + ") is before 'f' (first trade id " + from + ")");
        }
      } else {
        id = nonNegative(tradeId, "t", "trade id");
        from = id;
        to = id;
      }
      positive(price, "p", "price");
      positive(quantity, "q", "quantity");
      require(buyerIsMaker, "m", "buyer is maker");
      return new Trade(symbol, tradeTime, id, price, quantity, buyerIsMaker,
          eventTime == null ? 0 : eventTime, from, to);
    }
  }

  private static void require(Object value, String field, String meaning)
      throws MalformedRecordException {
    if (value == null) {
      throw new MalformedRecordException(
          "required field '" + field + "' (" + meaning + ") is missing or null");
    }
  }

  private static long nonNegative(Long value, String field, String meaning)
      throws MalformedRecordException {
    require(value, field, meaning);
    if (value < 0) {
      throw new MalformedRecordException("field '" + field + "' must be >= 0, got " + value);
    }
    return value;
  }

  private static void positive(BigDecimal value, String field, String meaning)
      throws MalformedRecordException {
    require(value, field, meaning);
    if (value.signum() <= 0) {
      throw new MalformedRecordException(
          "field '" + field + "' (" + meaning + ") must be > 0, got " + value.toPlainString());
    }
  }
}
