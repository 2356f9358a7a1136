package io.candlebeam.pipeline.serve;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import io.candlebeam.transforms.io.CandleJson;
import io.candlebeam.transforms.model.Candle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file feed reads each finished candle file once, and again only when it is replaced. */
class FileFeedTest {
  private static final long DAY0 = 1_709_251_200_000L;
  private static final long DAY = 86_400_000L;

  private static String candle(String symbol, long day, double close, String timing, long pane) {
    return CandleJson.toJson(new Candle(symbol, DAY0 + day * DAY, DAY0 + (day + 1) * DAY, 1.0,
        2.0, 0.5, close, 10.0, 100.0, 7L, 5, close, timing, pane, false)) + "\n";
  }

  @Test
  void newAndReplacedFilesAreReadHiddenAndNonCandleFilesAreNot(@TempDir Path run)
      throws Exception {
    FileFeed feed = new FileFeed(run);
    assertThat(feed.poll(), is(List.of())); // nothing written yet
    Path btc = Files.createDirectories(run.resolve("json/symbol=BTCUSDT"));
    Files.writeString(btc.resolve("day0_pane-000.jsonl"), candle("BTCUSDT", 0, 1.5, "EARLY", 0));
    Files.writeString(btc.resolve(".day0_pane-001.jsonl.tmp"), candle("BTCUSDT", 0, 9, "LATE", 1));
    Files.createDirectories(run.resolve("deadletter"));
    Files.writeString(run.resolve("deadletter/x.jsonl"), "{\"payload\":\"oops\"}\n");

    assertThat(feed.describe(), is(run.resolve("json").toString()));
    assertThat(closes(feed.poll()), is(List.of("BTCUSDT 1d EARLY#0 1.5")));
    assertThat(feed.poll(), is(List.of()));

    Files.writeString(btc.resolve("day1_pane-000.jsonl"), candle("BTCUSDT", 1, 2.5, "EARLY", 0));
    Files.writeString(btc.resolve("day0_pane-000.jsonl"), candle("BTCUSDT", 0, 1.75, "EARLY", 0)
        + candle("BTCUSDT", 0, 1.8, "EARLY", 0)); // replaced: longer
    assertThat(closes(feed.poll()), is(List.of("BTCUSDT 1d EARLY#0 1.75",
        "BTCUSDT 1d EARLY#0 1.8", "BTCUSDT 1d EARLY#0 2.5")));
  }

  private static List<String> closes(List<ServedCandle> panes) {
    return panes.stream().map(c -> c.symbol() + " " + c.timeframe() + " " + c.paneTiming() + "#"
        + c.paneIndex() + " " + c.close()).toList();
  }
}
