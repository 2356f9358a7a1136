package io.candlebeam.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.candlebeam.transforms.io.CandleJson;
import io.candlebeam.transforms.io.CandleParquet;
import io.candlebeam.transforms.model.Candle;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;

/**
 * Expected daily candles, as written by the test-data generator's independent reference
 * computation, and readers for what a run wrote, to compare the two field by field.
 */
public final class ExpectedCandles {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private ExpectedCandles() {}

  /** The bundled data's expected candles (test-data/expected/candles.jsonl). */
  public static Map<String, JsonNode> bundled() {
    return load(bundledResource("candles.jsonl"));
  }

  /** The bundled data's counts: lines, ticks, malformed. */
  public static Properties bundledCounts() {
    return counts(bundledResource("counts.properties"));
  }

  private static String bundledResource(String name) {
    try {
      return BundledTestData.resource("expected/" + name);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** symbol|date → expected candle JSON, from a generated data set's expected/ folder. */
  public static Map<String, JsonNode> load(String candlesJsonl) {
    Map<String, JsonNode> expected = new TreeMap<>();
    for (String line : candlesJsonl.split("\n")) {
      if (!line.isBlank()) {
        try {
          JsonNode n = MAPPER.readTree(line);
          expected.put(n.get("symbol").asText() + "|" + n.get("date").asText(), n);
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
    }
    return expected;
  }

  public static Properties counts(String properties) {
    Properties p = new Properties();
    try {
      p.load(new java.io.StringReader(properties));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return p;
  }

  /** The highest pane of each candle (symbol and window) among {@code panes}. */
  public static List<Candle> latestPanes(Collection<Candle> panes) {
    Map<String, Candle> latest = new TreeMap<>();
    for (Candle c : panes) {
      latest.merge(c.symbol() + "|" + c.windowStart(), c,
          (a, b) -> a.paneIndex() >= b.paneIndex() ? a : b);
    }
    return List.copyOf(latest.values());
  }

  /** Asserts that {@code actual} holds exactly the expected candles, every field equal. */
  public static void assertMatches(Map<String, JsonNode> expected, List<Candle> actual) {
    Map<String, Candle> byKey = new TreeMap<>();
    for (Candle c : actual) {
      String key = c.symbol() + "|" + Instant.ofEpochMilli(c.windowStart());
      assertThat("one candle per symbol and day: " + key, byKey.put(key, c) == null, is(true));
    }
    assertThat("symbols and days", byKey.keySet(), is(expected.keySet()));
    for (Map.Entry<String, JsonNode> e : expected.entrySet()) {
      Candle c = byKey.get(e.getKey());
      JsonNode x = e.getValue();
      String k = e.getKey() + " ";
      assertThat(k + "daily_open", c.open(), is(doubleOrNull(x, "daily_open")));
      assertThat(k + "daily_high", c.high(), is(doubleOrNull(x, "daily_high")));
      assertThat(k + "daily_low", c.low(), is(doubleOrNull(x, "daily_low")));
      assertThat(k + "daily_close", c.close(), is(x.get("daily_close").asDouble()));
      assertThat(k + "daily_volume", c.volume(), is(doubleOrNull(x, "daily_volume")));
      assertThat(k + "daily_quote_volume", c.quoteVolume(), is(doubleOrNull(x, "daily_quote_volume")));
      assertThat(k + "total_trades", c.totalTrades(),
          is(x.get("total_trades").isNull() ? null : x.get("total_trades").asLong()));
      assertThat(k + "tick_count", c.tickCount(), is(x.get("tick_count").asLong()));
      assertThat(k + "avg_price", c.avgPrice(), is(x.get("avg_price").asDouble()));
      assertThat(k + "window_end", c.windowEnd(), is(c.windowStart() + 86_400_000L));
    }
  }

  private static Double doubleOrNull(JsonNode n, String field) {
    return n.get(field).isNull() ? null : n.get(field).asDouble();
  }

  /** Every candle in the JSON files under {@code dir}. */
  public static List<Candle> readJson(Path dir) throws IOException {
    List<Candle> candles = new ArrayList<>();
    for (Path f : files(dir, ".jsonl")) {
      for (String line : Files.readAllLines(f)) {
        candles.add(CandleJson.fromJson(line));
      }
    }
    return candles;
  }

  /** Every candle in the Parquet files under {@code dir}, read with parquet-avro (Hadoop). */
  public static List<Candle> readParquet(Path dir) throws IOException {
    List<Candle> candles = new ArrayList<>();
    for (Path f : files(dir, ".parquet")) {
      try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(
          HadoopInputFile.fromPath(new org.apache.hadoop.fs.Path(f.toUri()), new Configuration()))
          .build()) {
        for (GenericRecord r = reader.read(); r != null; r = reader.read()) {
          candles.add(CandleParquet.fromRecord(r));
        }
      }
    }
    return candles;
  }

  public static List<Path> files(Path dir, String suffix) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      // Hidden files are a sink's temporary files, renamed into place when complete.
      return s.filter(p -> p.getFileName().toString().endsWith(suffix))
          .filter(p -> !p.getFileName().toString().startsWith(".")).sorted().toList();
    }
  }
}
