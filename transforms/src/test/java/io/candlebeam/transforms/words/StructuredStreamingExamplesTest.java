package io.candlebeam.transforms.words;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.is;

import io.candlebeam.transforms.CandleMetrics;
import io.candlebeam.transforms.TestPipelines;
import io.candlebeam.transforms.window.OutputMode;
import io.candlebeam.transforms.window.WindowSpec;
import io.candlebeam.transforms.window.Windowing;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The Structured Streaming tutorial's documented word-count behaviours, reproduced exactly with
 * candlebeam's generic transforms. As in Spark, each record is its own micro-batch: after each one,
 * processing time passes the trigger interval (so update mode fires) and, with a watermark delay,
 * the watermark moves to the max event time so far minus the delay.
 *
 * <p>Outputs are shown as {@code word [start-end) count TIMING#index}, or {@code word all count
 * TIMING#index} without windows.
 */
class StructuredStreamingExamplesTest {
  private static final String DAY = "2024-04-06T";
  private static final Duration INTERVAL = Duration.standardSeconds(5);
  private static final String[][] ORDER_A = {{"10:05", "Streaming"}, {"10:40", "Hello"},
      {"10:20", "Spark"}, {"10:48", "Streaming"}, {"10:14", "Streaming"}, {"10:16", "Hadoop"}};
  private static final String[][] ORDER_B = {{"10:05", "Streaming"}, {"10:14", "Streaming"},
      {"10:20", "Spark"}, {"10:40", "Hello"}, {"10:16", "Hadoop"}, {"10:48", "Streaming"}};

  private static long at(String hhmm) {
    return Instant.parse(DAY + hhmm + ":00Z").toEpochMilli();
  }

  /** One record per micro-batch; watermark = max event time - delay (null: no watermark). */
  private static TestStream<WordEvent> microBatches(Duration delay, String[][] records) {
    TestStream.Builder<WordEvent> s = TestStream.create(SerializableCoder.of(WordEvent.class))
        .advanceWatermarkTo(new org.joda.time.Instant(at("10:00")).minus(Duration.standardHours(1)));
    long max = Long.MIN_VALUE;
    for (String[] r : records) {
      long t = at(r[0]);
      s = s.addElements(TimestampedValue.of(new WordEvent(t, r[1]), new org.joda.time.Instant(t)))
          .advanceProcessingTime(INTERVAL.plus(Duration.millis(1)));
      if (delay != null && t > max) {
        max = t;
        s = s.advanceWatermarkTo(new org.joda.time.Instant(max).minus(delay));
      }
    }
    return s.advanceWatermarkToInfinity();
  }

  private static PCollection<String> run(Pipeline p, TestStream<WordEvent> input, WindowSpec windows,
      OutputMode mode, Duration lateness) {
    return p.apply(input)
        .apply(new CountWords(new Windowing(windows, mode, lateness, INTERVAL)))
        .apply(MapElements.into(TypeDescriptors.strings()).via(StructuredStreamingExamplesTest::show));
  }

  static String show(WordCount c) {
    String window = c.windowStart() == BoundedWindow.TIMESTAMP_MIN_VALUE.getMillis() ? "all"
        : "[" + hhmm(c.windowStart()) + "-" + hhmm(c.windowEnd()) + ")";
    return c.word() + " " + window + " " + c.count() + " " + c.paneTiming() + "#" + c.paneIndex();
  }

  private static String hhmm(long millis) {
    return Instant.ofEpochMilli(millis).atZone(ZoneOffset.UTC).toLocalTime().toString();
  }

  private static List<String> only(Iterable<String> panes, String timing) {
    List<String> out = new ArrayList<>();
    panes.forEach(p -> {
      if (p.contains(" " + timing + "#")) {
        out.add(p);
      }
    });
    return out;
  }

  @Test
  void wordCountWithoutWindowsUpdateModeEmitsOnlyTheChangedWordEachTime() {
    // 1. Update mode: each micro-batch emits exactly one row, the word it changed.
    Pipeline p = TestPipelines.create();
    PCollection<String> out = run(p, microBatches(null, ORDER_A), WindowSpec.global(),
        OutputMode.UPDATE, Duration.ZERO);
    PAssert.that(out).satisfies(panes -> {
      assertThat(only(panes, "EARLY"), containsInAnyOrder("Streaming all 1 EARLY#0",
          "Hello all 1 EARLY#0", "Spark all 1 EARLY#0", "Streaming all 2 EARLY#1",
          "Streaming all 3 EARLY#2", "Hadoop all 1 EARLY#0"));
      return null;
    });
    TestPipelines.runAndVerify(p);
  }

  @Test
  void wordCountWithoutWindowsCompleteModeEndsWithTheWholeTable() {
    // 1. Complete mode: the final table is Hello 1, Streaming 3, Spark 1, Hadoop 1.
    Pipeline p = TestPipelines.create();
    PCollection<String> out = run(p, microBatches(null, ORDER_A), WindowSpec.global(),
        OutputMode.COMPLETE, Duration.ZERO);
    PAssert.that(out).satisfies(panes -> {
      assertThat(only(panes, "ON_TIME"), containsInAnyOrder("Hello all 1 ON_TIME#1",
          "Streaming all 3 ON_TIME#3", "Spark all 1 ON_TIME#1", "Hadoop all 1 ON_TIME#1"));
      return null;
    });
    TestPipelines.runAndVerify(p);
  }

  @Test
  void tumblingWindowsInUpdateModeLetTheOutOfOrderRecordUpdateItsEarlierWindow() {
    // 2. Tumbling 15 min, update mode, no watermark: 10:16 Hadoop, arriving after 10:40, still
    // lands in [10:15,10:30) beside Spark.
    Pipeline p = TestPipelines.create();
    PCollection<String> out = run(p, microBatches(null, ORDER_B),
        WindowSpec.tumbling(Duration.standardMinutes(15)), OutputMode.UPDATE, Duration.ZERO);
    PAssert.that(out).containsInAnyOrder(
        "Streaming [10:00-10:15) 1 EARLY#0", "Streaming [10:00-10:15) 2 EARLY#1",
        "Spark [10:15-10:30) 1 EARLY#0", "Hello [10:30-10:45) 1 EARLY#0",
        "Hadoop [10:15-10:30) 1 EARLY#0", "Streaming [10:45-11:00) 1 EARLY#0",
        // the input ends: every window closes with its final count
        "Streaming [10:00-10:15) 2 ON_TIME#2", "Spark [10:15-10:30) 1 ON_TIME#1",
        "Hadoop [10:15-10:30) 1 ON_TIME#1", "Hello [10:30-10:45) 1 ON_TIME#1",
        "Streaming [10:45-11:00) 1 ON_TIME#1");
    TestPipelines.runAndVerify(p);
  }

  @Test
  void slidingWindowsCountEveryEventInThreeWindows() {
    // 3. Sliding 15 min every 5 min: size / period = 3 windows per event.
    Pipeline p = TestPipelines.create();
    PCollection<String> out = run(p, microBatches(null, ORDER_B),
        WindowSpec.sliding(Duration.standardMinutes(15), Duration.standardMinutes(5)),
        OutputMode.UPDATE, Duration.ZERO);
    PAssert.that(out).satisfies(panes -> {
      List<String> finals = only(panes, "ON_TIME");
      long total = finals.stream().mapToLong(f -> Long.parseLong(f.split(" ")[2])).sum();
      assertThat("6 events x 3 windows", total, is(18L));
      assertThat(finals.stream().filter(f -> f.startsWith("Hadoop")).toList(), containsInAnyOrder(
          "Hadoop [10:05-10:20) 1 ON_TIME#1", "Hadoop [10:10-10:25) 1 ON_TIME#1",
          "Hadoop [10:15-10:30) 1 ON_TIME#1"));
      return null;
    });
    TestPipelines.runAndVerify(p);
  }

  @Test
  void watermarkClosesWindowsDropsWhatIsTooLateAndAppendEmitsOnce() {
    // 4. Watermark 30 min, tumbling 15 min, append: after 10:48 the watermark is 10:18, so
    // [10:00,10:15) is closed (its count emitted once) and 10:14 Streaming is dropped and counted;
    // 10:16 Hadoop still counts, since [10:15,10:30) is open.
    Pipeline p = TestPipelines.create();
    PCollection<String> out = run(p, microBatches(Duration.standardMinutes(30), ORDER_A),
        WindowSpec.tumbling(Duration.standardMinutes(15)), OutputMode.APPEND, Duration.ZERO);
    PAssert.that(out).containsInAnyOrder(
        "Streaming [10:00-10:15) 1 ON_TIME#0", "Spark [10:15-10:30) 1 ON_TIME#0",
        "Hadoop [10:15-10:30) 1 ON_TIME#0", "Hello [10:30-10:45) 1 ON_TIME#0",
        "Streaming [10:45-11:00) 1 ON_TIME#0");
    PipelineResult result = TestPipelines.runAndVerify(p);
    assertThat(CandleMetrics.counter(result, CandleMetrics.DROPPED_LATE), is(1L));
  }

  @Test
  void sessionWindowsWithAGapPerWordInCompleteMode() {
    // 5. Sessions, gap 20 min for Spark and 10 min otherwise: a session ends at last event + gap.
    Pipeline p = TestPipelines.create();
    String[][] records = {{"10:05", "Streaming"}, {"10:14", "Streaming"}, {"10:25", "Spark"},
        {"10:44", "Streaming"}, {"10:44", "Streaming"}, {"10:44", "Spark"}};
    PCollection<String> out = run(p, microBatches(null, records),
        WindowSpec.sessions(Duration.standardMinutes(10), Map.of("Spark", Duration.standardMinutes(20))),
        OutputMode.COMPLETE, Duration.ZERO);
    PAssert.that(out).satisfies(panes -> {
      List<String> finals = only(panes, "ON_TIME").stream()
          .map(f -> f.substring(0, f.lastIndexOf(' '))).toList();
      assertThat(finals, containsInAnyOrder("Streaming [10:05-10:24) 2",
          "Streaming [10:44-10:54) 2", "Spark [10:25-11:04) 2"));
      return null;
    });
    TestPipelines.runAndVerify(p);
  }
}
