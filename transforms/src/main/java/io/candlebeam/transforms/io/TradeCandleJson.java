package io.candlebeam.transforms.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.candlebeam.transforms.model.TradeCandle;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * A trade bar as one JSON object: {@code timeframe}, {@code symbol}, {@code window_start}/{@code
 * window_end} (ISO-8601 UTC), {@code open} {@code high} {@code low} {@code close}, {@code volume},
 * {@code quote_volume}, {@code trades}, {@code vwap}, {@code buy_volume}, {@code sell_volume},
 * {@code open_at} .. {@code close_at} (trade times, ISO), {@code first_trade_id}, {@code
 * last_trade_id}, {@code records}, then the pane. Decimals are written exactly, without trailing
 * zeros ({@code 43250.1}, not {@code 43250.10}).
 */
public final class TradeCandleJson {
  public static final String[] COLUMNS = {"timeframe", "symbol", "window_start", "window_end",
      "open", "high", "low", "close", "volume", "quote_volume", "trades", "vwap", "buy_volume",
      "sell_volume", "open_at", "high_at", "low_at", "close_at", "first_trade_id", "last_trade_id",
      "records", "pane_timing", "pane_index", "is_final"};
  private static final JsonFactory JSON = new JsonFactory();
  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  private TradeCandleJson() {}

  public static String toJson(TradeCandle c) {
    StringWriter out = new StringWriter(512);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("timeframe", c.timeframe());
      g.writeStringField("symbol", c.symbol());
      g.writeStringField("window_start", iso(c.windowStart()));
      g.writeStringField("window_end", iso(c.windowEnd()));
      decimal(g, "open", c.open());
      decimal(g, "high", c.high());
      decimal(g, "low", c.low());
      decimal(g, "close", c.close());
      decimal(g, "volume", c.volume());
      decimal(g, "quote_volume", c.quoteVolume());
      g.writeNumberField("trades", c.trades());
      decimal(g, "vwap", c.vwap());
      decimal(g, "buy_volume", c.buyVolume());
      decimal(g, "sell_volume", c.sellVolume());
      g.writeStringField("open_at", iso(c.openTime()));
      g.writeStringField("high_at", iso(c.highTime()));
      g.writeStringField("low_at", iso(c.lowTime()));
      g.writeStringField("close_at", iso(c.closeTime()));
      g.writeNumberField("first_trade_id", c.firstTradeId());
      g.writeNumberField("last_trade_id", c.lastTradeId());
      g.writeNumberField("records", c.records());
      g.writeStringField("pane_timing", c.paneTiming());
      g.writeNumberField("pane_index", c.paneIndex());
      g.writeBooleanField("is_final", c.isFinal());
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /** Reads back what {@link #toJson} wrote. */
  public static TradeCandle fromJson(String line) {
    try {
      JsonNode n = MAPPER.readTree(line);
      return new TradeCandle(n.get("symbol").asText(), time(n, "window_start"),
          time(n, "window_end"), dec(n, "open"), dec(n, "high"), dec(n, "low"), dec(n, "close"),
          time(n, "open_at"), time(n, "high_at"), time(n, "low_at"), time(n, "close_at"),
          dec(n, "volume"), dec(n, "quote_volume"), dec(n, "buy_volume"), dec(n, "sell_volume"),
          dec(n, "vwap"), n.get("trades").asLong(), n.get("records").asLong(),
          n.get("first_trade_id").asLong(), n.get("last_trade_id").asLong(),
          n.get("pane_timing").asText(), n.get("pane_index").asLong(),
          n.get("is_final").asBoolean());
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("not a trade candle JSON line: " + line, e);
    }
  }

  /** The exact decimal as written: plain notation, no trailing zeros. */
  public static String plain(BigDecimal d) {
    return d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString();
  }

  private static void decimal(JsonGenerator g, String field, BigDecimal d) throws IOException {
    g.writeFieldName(field);
    g.writeNumber(plain(d));
  }

  private static String iso(long millis) {
    return Instant.ofEpochMilli(millis).toString();
  }

  private static long time(JsonNode n, String field) {
    return Instant.parse(n.get(field).asText()).toEpochMilli();
  }

  private static BigDecimal dec(JsonNode n, String field) {
    return n.get(field).decimalValue();
  }
}
