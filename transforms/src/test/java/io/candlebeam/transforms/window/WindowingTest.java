package io.candlebeam.transforms.window;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.apache.beam.sdk.transforms.windowing.AfterPane;
import org.apache.beam.sdk.transforms.windowing.AfterProcessingTime;
import org.apache.beam.sdk.transforms.windowing.AfterWatermark;
import org.apache.beam.sdk.transforms.windowing.Trigger;
import org.joda.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** The early-pane timing per runner: timers that fire when due, or a look per micro-batch. */
class WindowingTest {
  private static Windowing update(long intervalMillis, long checkMillis) {
    return Windowing.daily().withMode(OutputMode.UPDATE)
        .withTriggerInterval(Duration.millis(intervalMillis))
        .withTriggerCheck(Duration.millis(checkMillis));
  }

  @ParameterizedTest(name = "every {0} ms, looked at every {1} ms: delay {2} ms")
  @CsvSource({
      "5000,    0, 5000", // timers that fire when due: the interval
      "1000,    0, 1000",
      "5000, 1000, 3500", // fires at the 4th batch after the first element's, the next pane starts at the 5th
      "2000, 1000,  500",
      "2500, 1000, 1000",
      "1000, 1000,    0", // every micro-batch
      "1500, 1000,    0",
      " 300, 1000,    0",
  })
  void earlyPanesAreDelayedByTheIntervalLessWhatTheRunnersLooksAdd(long interval, long check,
      long delay) {
    assertThat(update(interval, check).earlyFiringDelay(), is(Duration.millis(delay)));
    assertThat(update(interval, check).firesEveryCheck(), is(check > 0 && delay == 0));
  }

  @Test
  void theTriggerIsADelayAfterTheFirstElementOrEveryLookWithData() {
    assertThat(earlyTrigger(update(5_000, 1_000)), is(
        AfterProcessingTime.pastFirstElementInPane().plusDelayOf(Duration.millis(3_500))));
    assertThat(earlyTrigger(update(5_000, 0)), is(
        AfterProcessingTime.pastFirstElementInPane().plusDelayOf(Duration.standardSeconds(5))));
    assertThat(earlyTrigger(update(1_000, 1_000)), is(AfterPane.elementCountAtLeast(1)));
  }

  @Test
  void aNegativeCheckIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> update(1_000, -1));
    assertThat(e.getMessage(), containsString("trigger check must be >= 0"));
  }

  /** The early firings of the trigger AssignWindows sets for {@code windowing}. */
  private static Trigger earlyTrigger(Windowing windowing) {
    Trigger trigger = AssignWindows.of(windowing, (String s) -> s).strategy().getTrigger();
    AfterWatermark.AfterWatermarkEarlyAndLate t = (AfterWatermark.AfterWatermarkEarlyAndLate) trigger;
    return t.getEarlyTrigger();
  }
}
