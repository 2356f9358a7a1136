package io.candlebeam.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;

import io.candlebeam.transforms.io.TradeCandleJson;
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
import java.util.stream.Stream;

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

  static List<String> lines(String text) {
    return text.lines().filter(l -> !l.isBlank()).toList();
  }

  /** The bars a run wrote as JSON lines under {@code jsonDir} (every pane file, recursively). */
  public static List<TradeCandle> readJson(Path jsonDir) throws IOException {
    List<TradeCandle> all = new ArrayList<>();
    try (Stream<Path> files = Files.walk(jsonDir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".jsonl")).toList()) {
        for (String line : Files.readAllLines(f)) {
          if (!line.isBlank()) {
            all.add(TradeCandleJson.fromJson(line));
          }
        }
      }
    }
    return all;
  }

  /** The latest pane of each bar, as a reference line. */
  public static List<String> latest(Collection<TradeCandle> candles) {
    Map<String, TradeCandle> latest = new HashMap<>();
    for (TradeCandle c : candles) {
      latest.merge(c.symbol() + "|" + c.timeframe() + "|" + c.windowStart(), c,
          (a, b) -> a.paneIndex() >= b.paneIndex() ? a : b);
    }
    return latest.values().stream().map(ExpectedTradeCandles::withoutPane).toList();
  }

  static String withoutPane(TradeCandle c) {
    String json = TradeCandleJson.toJson(c);
    return json.substring(0, json.indexOf(",\"pane_timing\"")) + "}";
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
