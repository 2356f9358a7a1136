package io.candlebeam.transforms;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.candlebeam.transforms.late.DivertTooLate;
import io.candlebeam.transforms.model.Candle;
import io.candlebeam.transforms.model.DeadLetter;
import io.candlebeam.transforms.model.RawRecord;
import io.candlebeam.transforms.model.RawRecordCoder;
import io.candlebeam.transforms.parse.ParseRecords;
import io.candlebeam.transforms.window.Windowing;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The failure outputs of the fused hot path (its candles are checked by {@link
 * CalculateCandlesTest} and {@link WindowShapesTest} on both paths): every record comes out once,
 * as part of a candle, a dead letter or a too-late record, and is counted there.
 */
class ParseAndCalculateCandlesTest {
  /** Day 1 of this test: midnight, 1 March 2024 UTC (= {@link Fixtures#BASE}). */
  private static final Instant DAY0_START = Fixtures.BASE;

  /** A record at event time {@code time}, read under the watermark {@code readUnder}. */
  private static TimestampedValue<RawRecord> record(String origin, String payload, Instant time,
      Instant readUnder) {
    return TimestampedValue.of(new RawRecord(payload, origin, Map.of(), readUnder.getMillis()),
        time);
  }

  private static String tick(Instant eventTime, double price) {
    return "{\"symbol\":\"BTCUSDT\",\"event_time\":" + eventTime.getMillis() + ",\"price\":" + price
        + "}";
  }

  /** The one element of a PCollection, checked by {@code check}. */
  private static SerializableFunction<Iterable<DeadLetter>, Void> one(
      SerializableFunction<DeadLetter, Void> check) {
    return letters -> {
      List<DeadLetter> all = new ArrayList<>();
      letters.forEach(all::add);
      assertThat(all.size(), is(1));
      return check.apply(all.get(0));
    };
  }

  @Test
  void everyRecordIsACandleTickADeadLetterOrTooLate() {
    // The source had reported a watermark of day 2, 01:30 when it read these records: day 1's
    // window (end 00:00 of day 2, lateness 1 h) closed at 01:00 of day 2; day 2's is open.
    Instant day2 = DAY0_START.plus(Duration.standardDays(1));
    Instant watermark = day2.plus(Duration.standardMinutes(90));
    Instant lateTime = DAY0_START.plus(Duration.standardHours(23));
    Instant t1 = day2.plus(Duration.standardHours(2));
    Instant t2 = day2.plus(Duration.standardHours(3));
    String lateTick = tick(lateTime, 7);
    String broken = "{\"symbol\":\"BTCUSDT\",\"event_time\":" + t1.getMillis() + ",\"price\":";
    Pipeline p = TestPipelines.create();
    PCollectionTuple out = p
        .apply(Create.timestamped(List.of(
                record("k@1", tick(t1, 100), t1, watermark),
                record("k@2", tick(t2, 110), t2, watermark),
                record("k@3", lateTick, lateTime, watermark),
                record("k@4", broken, t1, watermark)))
            .withCoder(RawRecordCoder.of()))
        .apply(ParseAndCalculateCandles.ticks(Windowing.daily()));

    // Day 2's candle from its two ticks; nothing of day 1 (its only tick was too late).
    PAssert.that(out.get(ParseAndCalculateCandles.CANDLES)).containsInAnyOrder(
        new Candle("BTCUSDT", day2.getMillis(), day2.plus(Duration.standardDays(1)).getMillis(),
            null, null, null, 110.0, null, null, null, 2, 105.0, "ON_TIME", 0, true));
    PAssert.that(out.get(ParseAndCalculateCandles.DEAD_LETTERS)).satisfies(one(d -> {
      assertThat(d.payload(), is(broken));
      assertThat(d.origin(), is("k@4"));
      assertThat(d.step(), is(ParseTicks.STEP));
      return null;
    }));
    PAssert.that(out.get(ParseAndCalculateCandles.TOO_LATE)).satisfies(one(d -> {
      assertThat(d.payload(), is(lateTick));
      assertThat(d.origin(), is("k@3"));
      assertThat(d.step(), is(DivertTooLate.STEP));
      assertThat(d.reason(), containsString("watermark was 2024-03-02T01:30:00.000Z when it was read"));
      return null;
    }));
    PipelineResult result = TestPipelines.runAndVerify(p);
    assertThat(TestPipelines.counter(result, ParseRecords.PARSED), is(2L));
    assertThat(TestPipelines.counter(result, ParseRecords.DEAD_LETTERS), is(1L));
    assertThat(TestPipelines.counter(result, DivertTooLate.TOO_LATE), is(1L));
  }

  @Test
  void rejectsRecordsThatAreAlreadyWindowed() {
    Pipeline p = TestPipelines.create();
    PCollection<RawRecord> windowed = p.apply(Create.of(List.of(new RawRecord("{}", "x", Map.of())))
            .withCoder(RawRecordCoder.of()))
        .apply(Window.into(FixedWindows.of(Duration.standardDays(1))));
    IllegalArgumentException e = assertThrows(
        IllegalArgumentException.class,
        () -> windowed.apply(ParseAndCalculateCandles.ticks(Windowing.daily())));
    assertThat(e.getMessage(), containsString("global window"));
  }
}
