package io.candlebeam.transforms.window;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

/** One window per timeframe, aligned to the epoch; labels; when a record is too late for all. */
class TimeframesTest {
  private static final Duration M1 = Duration.standardMinutes(1);
  private static final Duration M5 = Duration.standardMinutes(5);
  private static final Duration H1 = Duration.standardHours(1);
  private static final Duration D1 = Duration.standardDays(1);

  private static IntervalWindow window(String start, Duration size) {
    return new IntervalWindow(Instant.parse(start), size);
  }

  @Test
  void anInstantFallsInOneWindowOfEachTimeframe() {
    Timeframes frames = Timeframes.of(List.of(D1, M1, H1, M5));
    assertThat(frames.windowsAt(Instant.parse("2024-03-01T13:47:59.999Z")), contains(
        window("2024-03-01T13:47:00Z", M1), window("2024-03-01T13:45:00Z", M5),
        window("2024-03-01T13:00:00Z", H1), window("2024-03-01T00:00:00Z", D1)));
  }

  @Test
  void labelsNameTheLargestWholeUnit() {
    assertThat(Timeframes.label(60_000), is("1m"));
    assertThat(Timeframes.label(900_000), is("15m"));
    assertThat(Timeframes.label(14_400_000), is("4h"));
    assertThat(Timeframes.label(86_400_000), is("1d"));
    assertThat(Timeframes.label(90_000), is("90s"));
    assertThat(Timeframes.label(1_500), is("1500ms"));
  }

  @Test
  void refusesRepeatedAndEmptyTimeframes() {
    assertThat(assertThrows(IllegalArgumentException.class,
        () -> Timeframes.of(List.of(H1, Duration.standardMinutes(60)))).getMessage(),
        containsString("1h is given twice"));
    assertThrows(IllegalArgumentException.class, () -> Timeframes.of(List.of()));
  }

  @Test
  void aRecordIsTooLateOnlyOnceItsLatestWindowHasClosed() {
    // 3 s and 5 s frames: at t = 4 s the 3 s window [3, 6) ends after the 5 s window [0, 5), so
    // the record closes with the smaller timeframe's window: 6 s - 1 ms + 1 s lateness.
    Windowing w = Windowing.daily()
        .withWindows(WindowSpec.timeframes(List.of(Duration.standardSeconds(3),
            Duration.standardSeconds(5))))
        .withAllowedLateness(Duration.standardSeconds(1));
    assertThat(AssignWindows.closesAt(w).apply(new Instant(4_000)), is(new Instant(6_999)));
  }
}
