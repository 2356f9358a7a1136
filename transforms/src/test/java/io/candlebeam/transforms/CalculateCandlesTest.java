package io.candlebeam.transforms;

import static io.candlebeam.transforms.Fixtures.BASE;
import static io.candlebeam.transforms.Fixtures.DAY0;
import static io.candlebeam.transforms.Fixtures.candle;
import static io.candlebeam.transforms.Fixtures.hours;
import static io.candlebeam.transforms.Fixtures.minutes;
import static io.candlebeam.transforms.Fixtures.stamped;
import static io.candlebeam.transforms.Fixtures.tick;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import io.candlebeam.transforms.model.Candle;
import io.candlebeam.transforms.model.Tick;
import io.candlebeam.transforms.model.TickCoder;
import io.candlebeam.transforms.window.OutputMode;
import io.candlebeam.transforms.window.Windowing;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.values.PCollection;
import org.joda.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Event-time semantics of {@link CalculateCandles} and of the fused {@link ParseAndCalculateCandles}
 * (each test runs on both, see {@link CandlePath}), one test per lateness class and output mode, in
 * the style of Beam's LeaderBoardTest. Daily windows, 1 h allowed lateness, 5 s trigger interval.
 *
 * <p>Three BTC ticks of day 0; expected values are worked out by hand:
 *
 * <pre>
 * tick  time    price  open  high  low  volume  quote  trades
 * T1    01:00   100    90    110   85   1.5     150    10
 * T2    05:00   120    95    125   95   2.5     300    20
 * T3    23:00   130    99    131   80   1.0     130    5
 * T1+T2    -> open 90, high 125, low 85, close 120, volume 4.0, quote 450, trades 30, 2 ticks, avg 110
 * T1+T2+T3 -> open 90, high 131, low 80, close 130, volume 5.0, quote 580, trades 35, 3 ticks, avg 350/3
 * </pre>
 */
class CalculateCandlesTest {
  private static final Tick T1 = tick("BTCUSDT", hours(1), 100, 90.0, 110.0, 85.0, 1.5, 150.0, 10L);
  private static final Tick T2 = tick("BTCUSDT", hours(5), 120, 95.0, 125.0, 95.0, 2.5, 300.0, 20L);
  private static final Tick T3 = tick("BTCUSDT", hours(23), 130, 99.0, 131.0, 80.0, 1.0, 130.0, 5L);
  private static final Duration DAY = Duration.standardDays(1);
  private static final Duration INTERVAL = Duration.standardSeconds(5);

  private static Candle twoTicks(String timing, long index) {
    return candle("BTCUSDT", DAY0, 90.0, 125.0, 85.0, 120, 4.0, 450.0, 30L, 2, 110, timing, index,
        false);
  }

  private static Candle threeTicks(String timing, long index) {
    return candle("BTCUSDT", DAY0, 90.0, 131.0, 80.0, 130, 5.0, 580.0, 35L, 3, 350.0 / 3, timing,
        index, false);
  }

  private static Candle oneTick(String timing, long index) {
    return candle("BTCUSDT", DAY0, 90.0, 110.0, 85.0, 100, 1.5, 150.0, 10L, 1, 100, timing, index,
        false);
  }

  private static PCollection<Candle> candles(Pipeline p, CandlePath path, TestStream<Tick> ticks,
      OutputMode mode) {
    return p.apply(ticks)
        .apply(path.calculate(Windowing.daily().withMode(mode).withTriggerInterval(INTERVAL)));
  }

  private static TestStream.Builder<Tick> stream() {
    return TestStream.create(TickCoder.of()).advanceWatermarkTo(BASE);
  }

  @ParameterizedTest
  @EnumSource(CandlePath.class)
  void appendOnTimeTicksGiveOneOnTimePane(CandlePath path) {
    Pipeline p = TestPipelines.create();
    TestStream<Tick> ticks = stream()
        .addElements(stamped(T1), stamped(T2))
        // Watermark passes the end of day 0: the window fires its ON_TIME pane.
        .advanceWatermarkTo(BASE.plus(DAY))
        // Watermark to infinity: the window expires with nothing new, so no further pane.
        .advanceWatermarkToInfinity();
    PCollection<Candle> out = candles(p, path, ticks, OutputMode.APPEND);
    PAssert.that(out).inOnTimePane(DAY0).containsInAnyOrder(twoTicks("ON_TIME", 0));
    PAssert.that(out).containsInAnyOrder(twoTicks("ON_TIME", 0));
    TestPipelines.runAndVerify(p);
  }

  @ParameterizedTest
  @EnumSource(CandlePath.class)
  void appendUnobservablyLateTickJoinsTheOnTimePane(CandlePath path) {
    Pipeline p = TestPipelines.create();
    TestStream<Tick> ticks = stream()
        .addElements(stamped(T1))
        // Watermark to 20:00 of day 0: T2 (05:00) is now behind it, but its window is still open.
        .advanceWatermarkTo(BASE.plus(hours(20)))
        .addElements(stamped(T2))
        // Watermark passes the end of day 0: one ON_TIME pane with both ticks.
        .advanceWatermarkTo(BASE.plus(DAY))
        .advanceWatermarkToInfinity();
    PCollection<Candle> out = candles(p, path, ticks, OutputMode.APPEND);
    PAssert.that(out).inOnTimePane(DAY0).containsInAnyOrder(twoTicks("ON_TIME", 0));
    PAssert.that(out).containsInAnyOrder(twoTicks("ON_TIME", 0));
    TestPipelines.runAndVerify(p);
  }

  @ParameterizedTest
  @EnumSource(CandlePath.class)
  void appendObservablyLateTickFiresALatePaneWithTheWholeCandle(CandlePath path) {
    Pipeline p = TestPipelines.create();
    TestStream<Tick> ticks = stream()
        .addElements(stamped(T1), stamped(T2))
        // Watermark 10 min past the end of day 0: ON_TIME pane; the window stays open for 1 h.
        .advanceWatermarkTo(BASE.plus(DAY).plus(minutes(10)))
        .addElements(stamped(T3))
        // Watermark to infinity: T3 has fired a LATE pane (accumulating: all three ticks).
        .advanceWatermarkToInfinity();
    PCollection<Candle> out = candles(p, path, ticks, OutputMode.APPEND);
    PAssert.that(out).inOnTimePane(DAY0).containsInAnyOrder(twoTicks("ON_TIME", 0));
    PAssert.that(out).inLatePane(DAY0).containsInAnyOrder(threeTicks("LATE", 1));
    PAssert.that(out).containsInAnyOrder(twoTicks("ON_TIME", 0), threeTicks("LATE", 1));
    TestPipelines.runAndVerify(p);
  }

  /** Append and update close a window at its end + allowed lateness (complete never does). */
  @ParameterizedTest(name = "{0} {1}")
  @CsvSource({"APPEND, STAGES", "APPEND, FUSED", "UPDATE, STAGES", "UPDATE, FUSED"})
  void droppablyLateTickIsDroppedAndCounted(OutputMode mode, CandlePath path) {
    Pipeline p = TestPipelines.create();
    TestStream<Tick> ticks = stream()
        .addElements(stamped(T1), stamped(T2))
        // Watermark 2 h past the end of day 0: beyond the 1 h allowed lateness, the window is gone.
        .advanceWatermarkTo(BASE.plus(DAY).plus(hours(2)))
        .addElements(stamped(T3))
        .advanceWatermarkToInfinity();
    PCollection<Candle> out = candles(p, path, ticks, mode);
    // One watermark step closed the window as it fired: its ON_TIME pane is also its final pane.
    PAssert.that(out).containsInAnyOrder(twoTicks("ON_TIME", 0).withPane("ON_TIME", 0, true));
    PipelineResult result = TestPipelines.runAndVerify(p);
    assertThat(TestPipelines.counter(result, CandleMetrics.DROPPED_LATE), is(1L));
  }

  @ParameterizedTest
  @EnumSource(CandlePath.class)
  void updateFiresSpeculativeEarlyPanesThenOnTimeThenLate(CandlePath path) {
    Pipeline p = TestPipelines.create();
    TestStream<Tick> ticks = stream()
        .addElements(stamped(T1))
        // Processing time passes the 5 s trigger interval: EARLY pane 0 with T1.
        .advanceProcessingTime(Duration.standardSeconds(6))
        .addElements(stamped(T2))
        // Another interval: EARLY pane 1 with T1 and T2 (accumulating).
        .advanceProcessingTime(Duration.standardSeconds(6))
        // Watermark passes the end of day 0: ON_TIME pane 2, fired even with no new data.
        .advanceWatermarkTo(BASE.plus(DAY))
        // Watermark 10 min past the end, still within the allowed lateness.
        .advanceWatermarkTo(BASE.plus(DAY).plus(minutes(10)))
        .addElements(stamped(T3))
        // Watermark to infinity: T3 has fired LATE pane 3 with all three ticks.
        .advanceWatermarkToInfinity();
    PCollection<Candle> out = candles(p, path, ticks, OutputMode.UPDATE);
    PAssert.that(out).inEarlyPane(DAY0)
        .containsInAnyOrder(oneTick("EARLY", 0), twoTicks("EARLY", 1));
    PAssert.that(out).inOnTimePane(DAY0).containsInAnyOrder(twoTicks("ON_TIME", 2));
    PAssert.that(out).inLatePane(DAY0).containsInAnyOrder(threeTicks("LATE", 3));
    TestPipelines.runAndVerify(p);
  }

  @ParameterizedTest
  @EnumSource(CandlePath.class)
  void completeNeverClosesAWindow(CandlePath path) {
    Pipeline p = TestPipelines.create();
    TestStream<Tick> ticks = stream()
        .addElements(stamped(T1), stamped(T2))
        // Watermark 3 days past day 0: far beyond the allowed lateness of append/update.
        .advanceWatermarkTo(BASE.plus(DAY.multipliedBy(3)))
        .addElements(stamped(T3))
        // Complete mode keeps every window: T3 still updates day 0 with a LATE pane.
        .advanceWatermarkToInfinity();
    PCollection<Candle> out = candles(p, path, ticks, OutputMode.COMPLETE);
    PAssert.that(out).inOnTimePane(DAY0).containsInAnyOrder(twoTicks("ON_TIME", 0));
    PAssert.that(out).inLatePane(DAY0).containsInAnyOrder(threeTicks("LATE", 1));
    PipelineResult result = TestPipelines.runAndVerify(p);
    assertThat(TestPipelines.counter(result, CandleMetrics.DROPPED_LATE), is(0L));
  }

  @ParameterizedTest
  @EnumSource(CandlePath.class)
  void appendNeverSpeculatesEvenAsProcessingTimePasses(CandlePath path) {
    Pipeline p = TestPipelines.create();
    TestStream<Tick> ticks = stream()
        .addElements(stamped(T1))
        // Processing time passes many trigger intervals: append mode fires nothing early.
        .advanceProcessingTime(Duration.standardMinutes(10))
        .addElements(stamped(T2))
        // Watermark passes the end of day 0: the one ON_TIME pane.
        .advanceWatermarkTo(BASE.plus(DAY))
        .advanceWatermarkToInfinity();
    PCollection<Candle> out = candles(p, path, ticks, OutputMode.APPEND);
    PAssert.that(out).containsInAnyOrder(twoTicks("ON_TIME", 0));
    TestPipelines.runAndVerify(p);
  }

  @ParameterizedTest
  @EnumSource(CandlePath.class)
  void updateUnobservablyLateTickJoinsTheNextEarlyPane(CandlePath path) {
    Pipeline p = TestPipelines.create();
    TestStream<Tick> ticks = stream()
        .addElements(stamped(T1))
        // Processing time passes the trigger interval: EARLY pane 0 with T1.
        .advanceProcessingTime(Duration.standardSeconds(6))
        // Watermark to 20:00 of day 0: T2 (05:00) arrives behind it, but its window is open.
        .advanceWatermarkTo(BASE.plus(hours(20)))
        .addElements(stamped(T2))
        // Another interval: EARLY pane 1 with both ticks; nothing about it is late.
        .advanceProcessingTime(Duration.standardSeconds(6))
        // Watermark passes the end of day 0: ON_TIME pane 2 (fired even with no new data).
        .advanceWatermarkTo(BASE.plus(DAY))
        .advanceWatermarkToInfinity();
    PCollection<Candle> out = candles(p, path, ticks, OutputMode.UPDATE);
    PAssert.that(out).containsInAnyOrder(oneTick("EARLY", 0), twoTicks("EARLY", 1),
        twoTicks("ON_TIME", 2));
    TestPipelines.runAndVerify(p);
  }

  @ParameterizedTest
  @EnumSource(CandlePath.class)
  void completeFiresEarlyPanesLikeUpdate(CandlePath path) {
    Pipeline p = TestPipelines.create();
    TestStream<Tick> ticks = stream()
        .addElements(stamped(T1))
        // Processing time passes the trigger interval: EARLY pane 0 with T1.
        .advanceProcessingTime(Duration.standardSeconds(6))
        .addElements(stamped(T2))
        // Watermark passes the end of day 0 before another interval: ON_TIME pane 1, both ticks.
        .advanceWatermarkTo(BASE.plus(DAY))
        .advanceWatermarkToInfinity();
    PCollection<Candle> out = candles(p, path, ticks, OutputMode.COMPLETE);
    PAssert.that(out).inEarlyPane(DAY0).containsInAnyOrder(oneTick("EARLY", 0));
    PAssert.that(out).inOnTimePane(DAY0).containsInAnyOrder(twoTicks("ON_TIME", 1));
    TestPipelines.runAndVerify(p);
  }
}
