package io.candlebeam.pipeline.bench;

import io.candlebeam.pipeline.CandleStore;
import io.candlebeam.transforms.io.CandleJson;
import io.candlebeam.transforms.model.Candle;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Compares a run's candles (latest pane of each) with expected candles (the generator's
 * reference): prints "yes (N)" or what differs. Used by the benchmark script.
 */
public final class CheckCandles {
  private CheckCandles() {}

  public static void main(String[] args) throws Exception {
    List<Candle> actual = CandleStore.read(args[0], null, null);
    Map<String, Candle> byKey = new HashMap<>();
    actual.forEach(c -> byKey.put(c.symbol() + "|" + c.windowStart(), c));
    int wrong = 0;
    List<String> expected = Files.readAllLines(java.nio.file.Path.of(args[1]));
    for (String line : expected) {
      Candle e = CandleJson.fromJson(line);
      Candle a = byKey.get(e.symbol() + "|" + e.windowStart());
      if (a == null || !a.withPane("", 0, false).equals(new Candle(e.symbol(), e.windowStart(),
          a.windowEnd(), e.open(), e.high(), e.low(), e.close(), e.volume(), e.quoteVolume(),
          e.totalTrades(), e.tickCount(), e.avgPrice(), "", 0, false))) {
        wrong++;
      }
    }
    System.out.println(wrong == 0 && actual.size() == expected.size()
        ? "yes (" + expected.size() + ")"
        : "NO: " + wrong + " of " + expected.size() + " differ, " + actual.size() + " written");
  }
}
