package io.candlebeam.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;

import io.candlebeam.pipeline.bench.CheckTradeCandles;
import io.candlebeam.transforms.io.TradeCandleJson;
import io.candlebeam.transforms.io.TradeCandles;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import io.candlebeam.transforms.model.TradeCandle;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeSet;

/**
 * The reference bars of the test-data generator's trade mode ({@code expected/trade-candles.jsonl},
 * 1m, 1h and 1d), and a comparison with what a run produced: the latest pane of every bar, written
 * as {@link TradeCandleJson} without its pane fields, must be exactly the reference lines.
 */
public final class ExpectedTradeCandles {
  private ExpectedTradeCandles() {}

  /** The bundled reference lines. */
  public static List<String> bundled() {
    try {
      return lines(BundledTestData.resource("expected/trade-candles.jsonl"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Properties bundledCounts() {
    try {
      Properties p = new Properties();
      p.load(new StringReader(BundledTestData.resource("expected/trade-counts.properties")));
      return p;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static List<String> lines(String text) {
    return text.lines().filter(l -> !l.isBlank()).toList();
  }

  /** The bars a run wrote as JSON lines under {@code jsonDir} (every pane file, recursively). */
  public static List<TradeCandle> readJson(Path jsonDir) throws IOException {
    List<TradeCandle> all = new ArrayList<>();
    for (Path f : ExpectedCandles.files(jsonDir, ".jsonl")) {
      for (String line : Files.readAllLines(f)) {
        if (!line.isBlank()) {
          all.add(TradeCandleJson.fromJson(line));
        }
      }
    }
    return all;
  }

  /**
   * The latest pane of each bar in the Parquet files under {@code dir} (parquet-avro, Hadoop), as
   * {@code symbol|timeframe|window start|open|high|low|close|volume|quote volume|trades} with the
   * decimal(38,18) values stripped of trailing zeros.
   */
  public static List<String> readParquetSummaries(Path dir) throws IOException {
    Map<String, GenericRecord> latest = new HashMap<>();
    for (Path f : ExpectedCandles.files(dir, ".parquet")) {
      try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(
          HadoopInputFile.fromPath(new org.apache.hadoop.fs.Path(f.toUri()), new Configuration()))
          .build()) {
        for (GenericRecord r = reader.read(); r != null; r = reader.read()) {
          String key = r.get("symbol") + "|" + r.get("timeframe") + "|" + r.get("window_start");
          GenericRecord seen = latest.get(key);
          if (seen == null || (Long) seen.get("pane_index") < (Long) r.get("pane_index")) {
            latest.put(key, r);
          }
        }
      }
    }
    List<String> out = new ArrayList<>();
    for (GenericRecord r : latest.values()) {
      StringBuilder b = new StringBuilder(r.get("symbol") + "|" + r.get("timeframe") + "|"
          + r.get("window_start"));
      for (String d : List.of("open", "high", "low", "close", "volume", "quote_volume")) {
        b.append('|').append(TradeCandleJson.plain(TradeCandles.fromParquet(r.get(d))));
      }
      out.add(b.append('|').append(r.get("trades")).toString());
    }
    return out;
  }

  /** The same summaries of reference lines. */
  public static List<String> summaries(List<String> referenceLines) {
    List<String> out = new ArrayList<>();
    for (String line : referenceLines) {
      TradeCandle c = TradeCandleJson.fromJson(line.substring(0, line.length() - 1)
          + ",\"pane_timing\":\"ON_TIME\",\"pane_index\":0,\"is_final\":true}");
      out.add(c.symbol() + "|" + c.timeframe() + "|" + c.windowStart() + "|"
          + TradeCandleJson.plain(c.open()) + "|" + TradeCandleJson.plain(c.high()) + "|"
          + TradeCandleJson.plain(c.low()) + "|" + TradeCandleJson.plain(c.close()) + "|"
          + TradeCandleJson.plain(c.volume()) + "|" + TradeCandleJson.plain(c.quoteVolume()) + "|"
          + c.trades());
    }
    return out;
  }

  /** The latest pane of each bar, as a reference line. */
  public static List<String> latest(Collection<TradeCandle> candles) {
    return CheckTradeCandles.referenceLines(candles);
  }

  /** Every reference bar is there with its exact values, and no other bar. */
  public static void assertMatches(List<String> expected, Collection<TradeCandle> candles) {
    TreeSet<String> want = new TreeSet<>(expected);
    TreeSet<String> got = new TreeSet<>(latest(candles));
    TreeSet<String> missing = new TreeSet<>(want);
    missing.removeAll(got);
    TreeSet<String> extra = new TreeSet<>(got);
    extra.removeAll(want);
    assertThat("bars missing or different (first 3 of " + missing.size() + "): "
        + missing.stream().limit(3).toList() + "; produced instead (first 3 of " + extra.size()
        + "): " + extra.stream().limit(3).toList(), missing, is(empty()));
    assertThat("bars not in the reference", extra, is(empty()));
    assertThat(got.size(), is(want.size()));
  }
}
