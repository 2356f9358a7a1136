package io.candlebeam.transforms.late;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import io.candlebeam.transforms.TestPipelines;
import io.candlebeam.transforms.model.DeadLetter;
import io.candlebeam.transforms.model.RawRecord;
import io.candlebeam.transforms.model.RawRecordCoder;
import io.candlebeam.transforms.parse.TickParser;
import io.candlebeam.transforms.window.AssignWindows;
import io.candlebeam.transforms.window.OutputMode;
import io.candlebeam.transforms.window.WindowSpec;
import io.candlebeam.transforms.window.Windowing;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

class DivertTooLateTest {
  /** Fixed base time: midnight, 1 March 2024 UTC; windows are days, allowed lateness 1 h. */
  private static final Instant DAY0_START = Instant.parse("2024-03-01T00:00:00Z");
  private static final Duration HOUR = Duration.standardHours(1);
  private static final Windowing DAILY = Windowing.daily();

  /** A valid tick at {@code eventTime}, as a source emits it (stamped with its event time). */
  /** A tick at {@code eventTime}, read under the watermark {@code readUnder}. */
  private static TimestampedValue<RawRecord> record(String origin, Instant eventTime,
      Instant readUnder) {
    return raw(origin, "{\"symbol\":\"BTCUSDT\",\"event_time\":" + eventTime.getMillis()
        + ",\"price\":100}", eventTime, readUnder);
  }

  private static TimestampedValue<RawRecord> raw(String origin, String payload, Instant eventTime,
      Instant readUnder) {
    return TimestampedValue.of(new RawRecord(payload, origin, Map.of("kafka.offset", origin),
        readUnder.getMillis()), eventTime);
  }

  @Test
  void recordsWhoseWindowClosedGoAsideWithTheirRawPayloadAndTheRestPassUnchanged() {
    // The reader had reported a watermark of day 2, 01:30 when it read these records: day 1's
    // window (end 00:00 of day 2, lateness 1 h) closed at 01:00 of day 2; day 2's is open.
    Instant w = DAY0_START.plus(Duration.standardDays(1)).plus(Duration.standardMinutes(90));
    TimestampedValue<RawRecord> tooLate = record("p0@1", DAY0_START.plus(Duration.standardHours(23)), w);
    TimestampedValue<RawRecord> timely = record("p0@2", DAY0_START.plus(Duration.standardHours(25)), w);
    // The same event time as the late one, read earlier, under a watermark of day 2, 00:30:
    // its window was still open then, so it is on time (whatever the reader reported since).
    TimestampedValue<RawRecord> readBefore = record("p1@1", DAY0_START.plus(Duration.standardHours(23)),
        w.minus(HOUR));
    // Just as late, but malformed (a symbol the parser rejects): it goes on, to be a dead letter.
    TimestampedValue<RawRecord> malformed = raw("p0@3", "{\"symbol\":\"../x\",\"event_time\":"
        + DAY0_START.getMillis() + ",\"price\":1}", DAY0_START, w);
    Pipeline p = TestPipelines.create();
    WithFailures.Result<PCollection<RawRecord>, DeadLetter> out = p
        .apply(Create.timestamped(List.of(tooLate, timely, readBefore, malformed))
            .withCoder(RawRecordCoder.of()))
        .apply(new DivertTooLate(DAILY, new TickParser()));

    PAssert.that(out.output()).containsInAnyOrder(timely.getValue(), readBefore.getValue(),
        malformed.getValue());
    String rawPayload = tooLate.getValue().payload();
    PAssert.that(out.failures()).satisfies(letters -> {
      List<DeadLetter> all = new ArrayList<>();
      letters.forEach(all::add);
      assertThat(all.size(), is(1));
      DeadLetter d = all.get(0);
      assertThat(d.payload(), is(rawPayload));
      assertThat(d.origin(), is("p0@1"));
      assertThat(d.metadata(), is(Map.of("kafka.offset", "p0@1")));
      assertThat(d.step(), is(DivertTooLate.STEP));
      assertThat(d.reason(), containsString("accepting data at 2024-03-02T00:59:59.999Z"));
      assertThat(d.reason(), containsString("watermark was 2024-03-02T01:30:00.000Z when it was read"));
      return null;
    });
    PipelineResult result = TestPipelines.runAndVerify(p);
    assertThat(TestPipelines.counter(result, DivertTooLate.TOO_LATE), is(1L));
  }

  @Test
  void withoutAReportedWatermarkNothingIsLate() {
    Pipeline p = TestPipelines.create();
    // A bounded source's record: no watermark when read.
    TimestampedValue<RawRecord> old = TimestampedValue.of(RawRecord.of(
        "{\"symbol\":\"BTCUSDT\",\"event_time\":" + DAY0_START.getMillis() + ",\"price\":100}",
        "f:1"), DAY0_START);
    WithFailures.Result<PCollection<RawRecord>, DeadLetter> out = p
        .apply(Create.timestamped(List.of(old)).withCoder(RawRecordCoder.of()))
        .apply(new DivertTooLate(DAILY, new TickParser()));
    PAssert.that(out.output()).containsInAnyOrder(old.getValue());
    PAssert.that(out.failures()).empty();
    TestPipelines.runAndVerify(p);
  }

  @Test
  void tumblingWindowsCloseAtEndPlusLatenessAsTheRunnerDropsThem() {
    // Beam drops from a window once maxTimestamp + lateness is *before* the watermark: the last
    // accepted watermark is 00:59:59.999 after the window's end.
    Instant closes = AssignWindows.closesAt(DAILY).apply(DAY0_START.plus(Duration.standardHours(5)));
    assertThat(closes, is(DAY0_START.plus(Duration.standardDays(1)).plus(HOUR).minus(Duration.millis(1))));
    // The very last millisecond of the day belongs to the same window.
    assertThat(AssignWindows.closesAt(DAILY).apply(DAY0_START.plus(Duration.standardDays(1)).minus(1)),
        is(closes));
  }

  @Test
  void slidingWindowsCloseWithTheLatestWindowHoldingTheEvent() {
    Windowing sliding = DAILY.withWindows(
        WindowSpec.sliding(Duration.standardHours(6), Duration.standardHours(2)));
    // 05:00 is in the windows starting 00:00, 02:00 and 04:00; the last ends at 10:00.
    assertThat(AssignWindows.closesAt(sliding).apply(DAY0_START.plus(Duration.standardHours(5))),
        is(DAY0_START.plus(Duration.standardHours(11)).minus(Duration.millis(1))));
  }

  @Test
  void sessionsCloseAfterTheLargestGapOfAnyKey() {
    Windowing sessions = DAILY.withAllowedLateness(Duration.ZERO).withWindows(
        WindowSpec.sessions(Duration.standardMinutes(10), Map.of("slow", HOUR)));
    assertThat(AssignWindows.closesAt(sessions).apply(DAY0_START), is(DAY0_START.plus(HOUR).minus(1)));
  }

  @Test
  void globalWindowsAndCompleteModeNeverClose() {
    assertThat(AssignWindows.closesAt(DAILY.withWindows(WindowSpec.global())).apply(DAY0_START),
        is(BoundedWindow.TIMESTAMP_MAX_VALUE));
    assertThat(AssignWindows.closesAt(DAILY.withMode(OutputMode.COMPLETE)).apply(DAY0_START),
        is(BoundedWindow.TIMESTAMP_MAX_VALUE));
  }
}
