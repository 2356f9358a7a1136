package io.candlebeam.pipeline.serve;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/** The API's JSON bodies. */
final class Json {
  static final ObjectMapper MAPPER = new ObjectMapper();

  private Json() {}

  /** A plain value (maps, lists, strings, numbers) as JSON. */
  static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** {@code {"symbols": [{"symbol": "BTCUSDT", "timeframes": ["1h", "1d"]}, ...]}}. */
  static String symbols(Map<String, List<String>> symbols) {
    return generate(g -> {
      g.writeStartObject();
      g.writeArrayFieldStart("symbols");
      for (Map.Entry<String, List<String>> s : symbols.entrySet()) {
        g.writeStartObject();
        g.writeStringField("symbol", s.getKey());
        g.writeArrayFieldStart("timeframes");
        for (String t : s.getValue()) {
          g.writeString(t);
        }
        g.writeEndArray();
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    });
  }

  /** {@code {"symbol": .., "timeframe": .., "count": n, "candles": [..]}}. */
  static String candles(String symbol, String timeframe, List<ServedCandle> candles) {
    return generate(g -> {
      g.writeStartObject();
      g.writeStringField("symbol", symbol);
      g.writeStringField("timeframe", timeframe);
      g.writeNumberField("count", candles.size());
      g.writeArrayFieldStart("candles");
      for (ServedCandle c : candles) {
        c.writeTo(g);
      }
      g.writeEndArray();
      g.writeEndObject();
    });
  }

  static String candle(ServedCandle c) {
    return generate(c::writeTo);
  }

  private interface Body {
    void write(JsonGenerator g) throws IOException;
  }

  private static String generate(Body body) {
    StringWriter out = new StringWriter();
    try (JsonGenerator g = MAPPER.getFactory().createGenerator(out)) {
      body.write(g);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toString();
  }
}
