package io.candlebeam.transforms;

import static io.candlebeam.transforms.Fixtures.BASE;
import static io.candlebeam.transforms.Fixtures.candle;
import static io.candlebeam.transforms.Fixtures.hours;
import static io.candlebeam.transforms.Fixtures.minutes;
import static io.candlebeam.transforms.Fixtures.stamped;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import io.candlebeam.transforms.combine.CombinePerKeyAndWindow;
import io.candlebeam.transforms.model.Candle;
import io.candlebeam.transforms.model.Tick;
import io.candlebeam.transforms.model.TickCoder;
import io.candlebeam.transforms.window.OutputMode;
import io.candlebeam.transforms.window.WindowSpec;
import io.candlebeam.transforms.window.Windowing;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Sliding and session windows, and the bound on what the combine sends to the shuffle. */
class WindowShapesTest {
  private static final Windowing APPEND_NO_LATENESS = Windowing.daily().withAllowedLateness(Duration.ZERO);

  private static Tick at(String symbol, Instant time, double price) {
    return Tick.of(symbol, time.getMillis(), price);
  }

  private static Candle plain(String symbol, IntervalWindow w, double close, long ticks, double avg) {
    return candle(symbol, w, null, null, null, close, null, null, null, ticks, avg, "ON_TIME", 0,
        true);
  }

  @ParameterizedTest
  @EnumSource(CandlePath.class)
  void slidingWindowsCountEachTickInSizeOverPeriodWindows(CandlePath path) {
    // 2-day windows every day: the tick at day 0 16:00 is in [day -1, day 1) and [day 0, day 2).
    Pipeline p = TestPipelines.create();
    Instant t = BASE.plus(hours(16));
    PCollection<Candle> out = p
        .apply(Create.timestamped(List.of(TimestampedValue.of(at("BTC", t, 5), t)))
            .withCoder(TickCoder.of()))
        .apply(path.calculate(APPEND_NO_LATENESS.withWindows(
            WindowSpec.sliding(Duration.standardDays(2), Duration.standardDays(1)))));
    Duration twoDays = Duration.standardDays(2);
    PAssert.that(out).containsInAnyOrder(
        plain("BTC", new IntervalWindow(BASE.minus(Duration.standardDays(1)), twoDays), 5, 1, 5),
        plain("BTC", new IntervalWindow(BASE, twoDays), 5, 1, 5));
    TestPipelines.runAndVerify(p);
  }

  @ParameterizedTest
  @EnumSource(CandlePath.class)
  void sessionGapsCanDependOnTheKey(CandlePath path) {
    // BTC gap 10 min, ETH gap 20 min. A session ends at its last tick + gap.
    // BTC 10:05, 10:14 -> [10:05, 10:24); BTC 10:44 -> [10:44, 10:54); ETH 10:25, 10:44 -> [10:25, 11:04).
    Pipeline p = TestPipelines.create();
    Instant ten = BASE.plus(hours(10));
    TestStream<Tick> ticks = TestStream.create(TickCoder.of())
        .advanceWatermarkTo(ten)
        .addElements(stamped(at("BTC", ten.plus(minutes(5)), 1)),
            stamped(at("BTC", ten.plus(minutes(14)), 2)),
            stamped(at("ETH", ten.plus(minutes(25)), 10)))
        .addElements(stamped(at("BTC", ten.plus(minutes(44)), 3)),
            stamped(at("ETH", ten.plus(minutes(44)), 20)))
        // Watermark to infinity: every session closes and fires once.
        .advanceWatermarkToInfinity();
    PCollection<Candle> out = p.apply(ticks).apply(path.calculate(APPEND_NO_LATENESS
        .withWindows(WindowSpec.sessions(minutes(10), Map.of("ETH", minutes(20))))));
    PAssert.that(out).containsInAnyOrder(
        plain("BTC", new IntervalWindow(ten.plus(minutes(5)), ten.plus(minutes(24))), 2, 2, 1.5),
        plain("BTC", new IntervalWindow(ten.plus(minutes(44)), ten.plus(minutes(54))), 3, 1, 3),
        plain("ETH", new IntervalWindow(ten.plus(minutes(25)), ten.plus(minutes(64))), 20, 2, 15));
    TestPipelines.runAndVerify(p);
  }

  @ParameterizedTest
  @EnumSource(CandlePath.class)
  void shuffleSeesAtMostOnePartialPerKeyWindowAndBundle(CandlePath path) {
    // 4,000 ticks: 2 symbols x 2 days x 1,000. Without the in-bundle combine, all 4,000 would reach
    // the GroupByKey (and, on Spark streaming, its state).
    List<TimestampedValue<Tick>> ticks = new ArrayList<>();
    for (String symbol : List.of("BTC", "ETH")) {
      for (int day = 0; day < 2; day++) {
        for (int i = 0; i < 1000; i++) {
          Instant t = BASE.plus(Duration.standardDays(day)).plus(Duration.standardSeconds(i * 60L));
          ticks.add(TimestampedValue.of(at(symbol, t, 1 + i), t));
        }
      }
    }
    Pipeline p = TestPipelines.create();
    PCollection<Candle> out = p.apply(Create.timestamped(ticks).withCoder(TickCoder.of()))
        .apply(path.calculate(Windowing.daily()));
    IntervalWindow day1 = Fixtures.DAY1;
    PAssert.that(out).containsInAnyOrder(
        plain("BTC", Fixtures.DAY0, 1000, 1000, 500.5), plain("ETH", Fixtures.DAY0, 1000, 1000, 500.5),
        plain("BTC", day1, 1000, 1000, 500.5), plain("ETH", day1, 1000, 1000, 500.5));
    PipelineResult result = TestPipelines.runAndVerify(p);
    long inputs = TestPipelines.counter(result, CombinePerKeyAndWindow.PRECOMBINE_INPUTS);
    long partials = TestPipelines.counter(result, CombinePerKeyAndWindow.PRECOMBINE_PARTIALS);
    long bundles = TestPipelines.counter(result, CombinePerKeyAndWindow.PRECOMBINE_BUNDLES);
    assertThat(inputs, is(4000L));
    assertThat("partials <= 4 (symbol x day) per bundle", partials, lessThanOrEqualTo(4 * bundles));
    assertThat("the shuffle sees far fewer partials than ticks", partials * 10 <= inputs, is(true));
  }
}
