package io.candlebeam.pipeline.serve;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Which pane is a candle's current one, and what listeners hear. */
class LiveCandlesTest {
  private static final long DAY0 = 1_709_251_200_000L; // 2024-03-01T00:00:00Z
  private static final long HOUR = 3_600_000L;

  private static ServedCandle pane(String symbol, String timeframe, long start, String close,
      String timing, long index) {
    long length = timeframe.equals("1h") ? HOUR : timeframe.equals("1m") ? 60_000L : 24 * HOUR;
    return new ServedCandle(symbol, timeframe, start, start + length, BigDecimal.ONE,
        new BigDecimal(close).max(BigDecimal.ONE), BigDecimal.ONE.min(new BigDecimal(close)),
        new BigDecimal(close), BigDecimal.TEN, 3L, timing, index, false);
  }

  @Test
  void aHigherPaneReplacesTheCandleALowerOneDoesNot() {
    LiveCandles live = new LiveCandles();
    List<List<ServedCandle>> heard = new ArrayList<>();
    live.listen(heard::add);
    ServedCandle early = pane("BTCUSDT", "1h", DAY0, "2", "EARLY", 0);
    ServedCandle onTime = pane("BTCUSDT", "1h", DAY0, "3", "ON_TIME", 1);
    ServedCandle late = pane("BTCUSDT", "1h", DAY0, "4", "LATE", 2);

    assertThat(live.take(List.of(early)), is(List.of(early)));
    assertThat(live.take(List.of(late, onTime)), is(List.of(late))); // ON_TIME#1 read after LATE#2
    assertThat(live.take(List.of(early, late)), is(List.of())); // seen, or older
    assertThat(live.candles("BTCUSDT", "1h", Long.MIN_VALUE, Long.MAX_VALUE), is(List.of(late)));
    assertThat(heard, is(List.of(List.of(early), List.of(late))));
    assertThat(live.panesReceived(), is(2L));
    assertThat(live.size(), is(1));
  }

  @Test
  void symbolsListTimeframesByLengthAndCandlesComeOldestFirst() {
    LiveCandles live = new LiveCandles();
    live.take(List.of(pane("ETHUSDT", "1d", DAY0, "2", "ON_TIME", 0),
        pane("BTCUSDT", "1h", DAY0 + HOUR, "2", "ON_TIME", 0),
        pane("BTCUSDT", "1d", DAY0, "2", "ON_TIME", 0),
        pane("BTCUSDT", "1m", DAY0, "2", "ON_TIME", 0),
        pane("BTCUSDT", "1h", DAY0, "2", "ON_TIME", 0)));
    assertThat(live.symbols(), is(Map.of("BTCUSDT", List.of("1m", "1h", "1d"),
        "ETHUSDT", List.of("1d"))));
    assertThat(live.candles("BTCUSDT", "1h", DAY0, DAY0 + 2 * HOUR).stream()
        .map(ServedCandle::windowStart).toList(), is(List.of(DAY0, DAY0 + HOUR)));
    assertThat(live.candles("BTCUSDT", "1h", DAY0 + 1, DAY0 + 2 * HOUR).size(), is(1));
  }
}
