package io.candlebeam.transforms.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.candlebeam.transforms.model.Candle;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.time.Instant;

/**
 * A candle as one JSON object, with the seed's column names first ({@code date} and {@code
 * window_end} as ISO-8601 UTC), then the pane: {@code pane_timing}, {@code pane_index}, {@code
 * is_final}. Missing optional aggregates are {@code null}.
 */
public final class CandleJson {
  private static final JsonFactory JSON = new JsonFactory();
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private CandleJson() {}

  public static String toJson(Candle c) {
    StringWriter out = new StringWriter(384);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("date", Instant.ofEpochMilli(c.windowStart()).toString());
      g.writeStringField("symbol", c.symbol());
      number(g, "daily_open", c.open());
      number(g, "daily_high", c.high());
      number(g, "daily_low", c.low());
      g.writeNumberField("daily_close", c.close());
      number(g, "daily_volume", c.volume());
      number(g, "daily_quote_volume", c.quoteVolume());
      if (c.totalTrades() == null) {
        g.writeNullField("total_trades");
      } else {
        g.writeNumberField("total_trades", c.totalTrades());
      }
      g.writeNumberField("tick_count", c.tickCount());
      g.writeNumberField("avg_price", c.avgPrice());
      g.writeStringField("window_end", Instant.ofEpochMilli(c.windowEnd()).toString());
      g.writeStringField("pane_timing", c.paneTiming());
      g.writeNumberField("pane_index", c.paneIndex());
      g.writeBooleanField("is_final", c.isFinal());
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }

  /**
   * Reads back what {@link #toJson} wrote (for {@code show}, charts and tests), or a candle with
   * the seed's columns only (no window end: then it is the window start, no pane: ON_TIME #0).
   */
  public static Candle fromJson(String line) {
    try {
      JsonNode n = MAPPER.readTree(line);
      long start = Instant.parse(n.get("date").asText()).toEpochMilli();
      return new Candle(
          n.get("symbol").asText(),
          start,
          n.hasNonNull("window_end") ? Instant.parse(n.get("window_end").asText()).toEpochMilli()
              : start,
          doubleOrNull(n, "daily_open"),
          doubleOrNull(n, "daily_high"),
          doubleOrNull(n, "daily_low"),
          n.get("daily_close").asDouble(),
          doubleOrNull(n, "daily_volume"),
          doubleOrNull(n, "daily_quote_volume"),
          n.get("total_trades").isNull() ? null : n.get("total_trades").asLong(),
          n.get("tick_count").asLong(),
          n.get("avg_price").asDouble(),
          n.path("pane_timing").asText("ON_TIME"),
          n.path("pane_index").asLong(0),
          n.path("is_final").asBoolean(true));
    } catch (IOException e) {
      throw new IllegalArgumentException("not a candle JSON line: " + line, e);
    }
  }

  private static Double doubleOrNull(JsonNode n, String field) {
    JsonNode v = n.get(field);
    return v == null || v.isNull() ? null : v.asDouble();
  }

  private static void number(JsonGenerator g, String field, Double value) throws IOException {
    if (value == null) {
      g.writeNullField(field);
    } else {
      g.writeNumberField(field, value);
    }
  }
}
