package io.candlebeam.pipeline.bench;

import io.candlebeam.pipeline.CandleStore;
import io.candlebeam.transforms.io.TradeCandleJson;
import io.candlebeam.transforms.model.TradeCandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Compares a trade run's bars (latest pane of each) with the generator's reference lines: prints
 * "yes (N)" or how many differ. {@link #referenceLines} is the one definition of what is compared
 * (the tests use it too).
 */
public final class CheckTradeCandles {
  private CheckTradeCandles() {}

  /** The latest pane of each bar, written as a reference line (its JSON without the pane). */
  public static List<String> referenceLines(Collection<TradeCandle> bars) {
    Map<String, TradeCandle> latest = new HashMap<>();
    for (TradeCandle c : bars) {
      latest.merge(c.symbol() + "|" + c.timeframe() + "|" + c.windowStart(), c,
          (a, b) -> a.paneIndex() >= b.paneIndex() ? a : b);
    }
    return latest.values().stream().map(CheckTradeCandles::withoutPane).toList();
  }

  static String withoutPane(TradeCandle c) {
    String json = TradeCandleJson.toJson(c);
    return json.substring(0, json.indexOf(",\"pane_timing\"")) + "}";
  }

  public static void main(String[] args) throws Exception {
    TreeSet<String> actual =
        new TreeSet<>(referenceLines(CandleStore.readTradeBars(args[0], null, null)));
    TreeSet<String> expected = new TreeSet<>(Files.readAllLines(Path.of(args[1])));
    expected.removeIf(String::isBlank);
    TreeSet<String> missing = new TreeSet<>(expected);
    missing.removeAll(actual);
    System.out.println(missing.isEmpty() && actual.size() == expected.size()
        ? "yes (" + expected.size() + ")"
        : "NO: " + missing.size() + " of " + expected.size() + " missing or different, "
            + actual.size() + " written");
  }
}
