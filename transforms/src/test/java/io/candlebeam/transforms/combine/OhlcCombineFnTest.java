package io.candlebeam.transforms.combine;

import static io.candlebeam.transforms.Fixtures.hours;
import static io.candlebeam.transforms.Fixtures.tick;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import io.candlebeam.transforms.model.Tick;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.beam.sdk.testing.CombineFnTester;
import org.apache.beam.sdk.util.CoderUtils;
import org.hamcrest.Matcher;
import org.hamcrest.TypeSafeMatcher;
import org.junit.jupiter.api.Test;

/**
 * The OHLC combine with {@link CombineFnTester}, which combines the inputs in many orders and
 * splits and merges the partials: the result must not depend on any of them.
 */
class OhlcCombineFnTest {
  private final OhlcCombineFn fn = new OhlcCombineFn();

  /** Matches an accumulator by its public values, after an encode/decode round trip. */
  private static Matcher<OhlcAccumulator> candle(Double open, Double high, Double low,
      double close, Double volume, Double quote, Long trades, long count, double avg) {
    return new TypeSafeMatcher<>() {
      @Override
      protected boolean matchesSafely(OhlcAccumulator a) {
        OhlcAccumulator r = roundTrip(a);
        return java.util.Objects.equals(r.openOrNull(), open)
            && java.util.Objects.equals(r.highOrNull(), high)
            && java.util.Objects.equals(r.lowOrNull(), low)
            && r.close() == close
            && java.util.Objects.equals(r.volumeOrNull(), volume)
            && java.util.Objects.equals(r.quoteVolumeOrNull(), quote)
            && java.util.Objects.equals(r.tradesOrNull(), trades)
            && r.count() == count
            && r.avgPrice() == avg;
      }

      @Override
      public void describeTo(org.hamcrest.Description d) {
        d.appendText("candle open=" + open + " high=" + high + " low=" + low + " close=" + close
            + " volume=" + volume + " quote=" + quote + " trades=" + trades + " count=" + count
            + " avg=" + avg);
      }
    };
  }

  private static OhlcAccumulator roundTrip(OhlcAccumulator a) {
    try {
      return CoderUtils.clone(OhlcAccumulatorCoder.of(), a);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void combinesInAnyOrderAndSplit() {
    List<Tick> ticks = List.of(
        tick("X", hours(1), 100, 90.0, 110.0, 85.0, 1.5, 150.0, 10L),
        tick("X", hours(5), 120, 95.0, 125.0, 95.0, 2.5, 300.0, 20L),
        tick("X", hours(3), 110, 92.0, 115.0, 88.0, 0.5, 55.0, 3L),
        tick("X", hours(23), 130, 99.0, 131.0, 80.0, 1.0, 130.0, 5L));
    CombineFnTester.testCombineFn(fn, ticks,
        candle(90.0, 131.0, 80.0, 130, 5.5, 635.0, 38L, 4, 115));
  }

  @Test
  void tiesOnEventTimeBreakByValueNotByArrival() {
    // Two ticks share the earliest time (opens 91 and 90) and two share the latest (prices 7, 9):
    // the open is the smallest tied open, the close the largest tied price, in every order.
    List<Tick> ticks = List.of(
        tick("X", hours(1), 5, 91.0, null, null, null, null, null),
        tick("X", hours(1), 6, 90.0, null, null, null, null, null),
        tick("X", hours(9), 9, 93.0, null, null, null, null, null),
        tick("X", hours(9), 7, 94.0, null, null, null, null, null));
    CombineFnTester.testCombineFn(fn, ticks,
        candle(90.0, null, null, 9, null, null, null, 4, 6.75));
  }

  @Test
  void missingOptionalValuesAreSkippedByTheirAggregate() {
    // The earliest tick has no open: the open comes from the earliest tick that has one.
    List<Tick> ticks = List.of(
        tick("X", hours(1), 10, null, 12.0, null, null, 5.0, null),
        tick("X", hours(2), 20, 15.0, null, 9.0, 2.0, null, 4L),
        tick("X", hours(3), 30, 16.0, null, null, null, null, null));
    CombineFnTester.testCombineFn(fn, ticks,
        candle(15.0, 12.0, 9.0, 30, 2.0, 5.0, 4L, 3, 20));
  }

  @Test
  void sumsAreExactWhateverTheOrder() {
    // 0.1 + 0.2 + ... in double depends on order; the decimal sum does not: 1000 x 0.1 = 100.
    List<Tick> ticks = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      ticks.add(tick("X", hours(1).plus(i), 0.1, null, null, null, 0.1, 0.3, 1L));
    }
    Collections.shuffle(ticks, new Random(7));
    CombineFnTester.testCombineFn(fn, ticks,
        candle(null, null, null, 0.1, 100.0, 300.0, 1000L, 1000, 0.1));
  }

  @Test
  void emptyAccumulatorIsEmptyAndHasNoValues() {
    OhlcAccumulator empty = roundTrip(fn.createAccumulator());
    assertThat(empty.isEmpty(), is(true));
    assertThat(empty.openOrNull(), nullValue());
    assertThat(empty.volumeOrNull(), nullValue());
    assertThat(fn.mergeAccumulators(List.of(fn.createAccumulator(), empty)).isEmpty(), is(true));
  }
}
