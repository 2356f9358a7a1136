package io.candlebeam.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import io.candlebeam.transforms.CalculateCandles;
import io.candlebeam.transforms.CandleMetrics;
import io.candlebeam.transforms.combine.CombinePerKeyAndWindow;
import io.candlebeam.transforms.model.Candle;
import io.candlebeam.transforms.model.Tick;
import io.candlebeam.transforms.model.TickCoder;
import io.candlebeam.transforms.window.OutputMode;
import io.candlebeam.transforms.window.Windowing;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.beam.runners.spark.TestSparkPipelineOptions;
import org.apache.beam.runners.spark.TestSparkRunner;
import org.apache.beam.runners.spark.io.CreateStream;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The candle transforms on Beam's SparkRunner in streaming mode: an unbounded source of
 * micro-batches (the runner's own {@link CreateStream}, whose watermark advances only between
 * batches, as Spark's does), exactly one ON_TIME and one LATE pane for the window, and nothing
 * else: no empty re-fired pane reaches the output; and the window's running total is released from
 * Spark's state once the window expires. Faithful per-lateness-class tests run
 * on the DirectRunner (transforms module); this one shows the Spark runner agrees.
 */
class SparkStreamingPanesTest {
  private static final Instant DAY0 = Instant.parse("2024-03-01T00:00:00Z");
  private static final Duration BATCH = Duration.standardSeconds(1);
  private static final IntervalWindow WINDOW = new IntervalWindow(DAY0, Duration.standardDays(1));

  private static TimestampedValue<Tick> tick(Duration offset, double price) {
    Instant t = DAY0.plus(offset);
    return TimestampedValue.of(Tick.of("BTCUSDT", t.getMillis(), price), t);
  }

  private static TestSparkPipelineOptions streaming(Path checkpoints) {
    TestSparkPipelineOptions options = PipelineOptionsFactory.as(TestSparkPipelineOptions.class);
    options.setRunner(TestSparkRunner.class);
    options.setSparkMaster("local[2]");
    options.setForceStreaming(true);
    options.setTestTimeoutSeconds(60L);
    options.setEnableSparkMetricSinks(false);
    options.setCheckpointDir(checkpoints.toUri().toString());
    return options;
  }

  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void onTimeThenLatePanesAndNoEmptyRefires(@TempDir Path checkpoints) {
    TestSparkPipelineOptions options = streaming(checkpoints);
    Duration batch = Duration.millis(options.getBatchIntervalMillis());

    CreateStream<Tick> source = CreateStream.of(TickCoder.of(), batch)
        .emptyBatch()
        // Batch 1, watermark at day 0 00:00: two on-time ticks.
        .advanceWatermarkForNextBatch(DAY0)
        .nextBatch(tick(Duration.standardHours(1), 100), tick(Duration.standardHours(5), 120))
        // Batch 2, watermark 10 min past the end of day 0: the ON_TIME pane fires. On Spark the
        // watermark given to a batch applies after that batch's elements reach the state, so a
        // tick in this same batch would still join the ON_TIME pane; the late tick comes next.
        .advanceWatermarkForNextBatch(DAY0.plus(Duration.standardDays(1)).plus(Duration.standardMinutes(10)))
        .emptyBatch()
        // Batch 3: a tick of day 0, late but within the 1 h allowed lateness: a LATE pane.
        .nextBatch(tick(Duration.standardHours(23), 130))
        // Then the watermark goes to infinity: the window is garbage-collected, and Spark re-fires
        // empty ON_TIME panes for a few batches, which must not come out.
        .advanceNextBatchWatermarkToInfinity()
        .emptyBatch()
        .emptyBatch()
        .emptyBatch();

    Pipeline p = Pipeline.create(options);
    PCollection<Candle> candles = p.apply(source).apply(new CalculateCandles(Windowing.daily()));
    PAssert.that(candles).inOnTimePane(WINDOW).satisfies(panes -> {
      int n = 0;
      for (Candle c : panes) {
        n++;
        assertThat(c.paneIndex(), is(0L));
        assertThat(c.tickCount(), is(2L));
        assertThat(c.close(), is(120.0));
        assertThat(c.avgPrice(), is(110.0));
      }
      assertThat("exactly one non-empty ON_TIME pane", n, is(1));
      return null;
    });
    PAssert.that(candles).inLatePane(WINDOW).satisfies(panes -> {
      int n = 0;
      for (Candle c : panes) {
        n++;
        assertThat(c.paneTiming(), is("LATE"));
        assertThat(c.tickCount(), is(3L)); // accumulating: the whole candle
        assertThat(c.close(), is(130.0));
      }
      assertThat("exactly one LATE pane", n, is(1));
      return null;
    });
    PipelineResult result = p.run();
    result.waitUntilFinish();
    // The window's running total left Spark's state when the window expired (the SparkRunner has
    // no cleanup timers of its own for stateful steps).
    assertThat(CandleMetrics.counter(result, CombinePerKeyAndWindow.RUNNING_TOTALS_RELEASED),
        is(1L));
  }

  /**
   * Update mode, early panes every micro-batch, looked at once per batch as the launcher tells the
   * SparkRunner's windowing ({@code triggerCheck}): each of four batches with a tick gives one
   * EARLY pane with the candle so far, then the watermark closes the window: ON_TIME.
   */
  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void updateModeFiresAnEarlyPaneAtEveryMicroBatchWithTicks(@TempDir Path checkpoints) {
    Windowing update = Windowing.daily().withMode(OutputMode.UPDATE).withTriggerInterval(BATCH)
        .withTriggerCheck(BATCH);
    Map<String, Long> panes = run(streaming(checkpoints), update, "every-batch");
    assertThat(panes, is(new TreeMap<>(Map.of("EARLY#0", 1L, "EARLY#1", 2L, "EARLY#2", 3L,
        "EARLY#3", 4L, "ON_TIME#4", 4L))));
  }

  /**
   * The same with the trigger as other runners run it (the delay is the whole interval): the
   * runner looks once per batch, and a pane's first element is processed inside a batch, so a pane
   * fires one or two batches after the one that opened it, with its own batch's tick in it; the
   * next pane opens a batch later. At most every second batch: hence the shorter delay above.
   */
  @Test
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void withTheWholeIntervalAsDelayEarlyPanesComeAtMostEverySecondBatch(
      @TempDir Path checkpoints) {
    Windowing update = Windowing.daily().withMode(OutputMode.UPDATE).withTriggerInterval(BATCH);
    Map<String, Long> panes = run(streaming(checkpoints), update, "whole-interval");
    assertThat(panes.toString(), panes.keySet().stream().filter(k -> k.startsWith("EARLY")).count(),
        lessThanOrEqualTo(2L));
    assertThat(panes.toString(), panes.get("ON_TIME#" + (panes.size() - 1)), is(4L));
  }

  /**
   * Runs the candles of {@link #aTickPerBatch} with {@code windowing}; the panes of the day's
   * candle, {@code TIMING#index} to tick count (collected in this JVM: Spark runs local).
   */
  private static Map<String, Long> run(TestSparkPipelineOptions options, Windowing windowing,
      String name) {
    options.setBatchIntervalMillis(BATCH.getMillis());
    Pipeline p = Pipeline.create(options);
    p.apply(aTickPerBatch())
        .apply(new CalculateCandles(windowing))
        .apply(ParDo.of(new Collect(name)));
    p.run().waitUntilFinish();
    return new TreeMap<>(PANES.getOrDefault(name, Map.of()));
  }

  private static final Map<String, Map<String, Long>> PANES = new ConcurrentHashMap<>();

  private static final class Collect extends DoFn<Candle, Void> {
    private final String name;

    Collect(String name) {
      this.name = name;
    }

    @ProcessElement
    public void process(@Element Candle c) {
      PANES.computeIfAbsent(name, k -> new ConcurrentHashMap<>())
          .put(c.paneTiming() + "#" + c.paneIndex(), c.tickCount());
    }
  }

  /**
   * Four batches of one tick each, the watermark just past day 0's start, then the window closes.
   * {@link CreateStream} hands each batch the next watermark given, so each batch gets its own.
   */
  private static CreateStream<Tick> aTickPerBatch() {
    CreateStream<Tick> stream = CreateStream.of(TickCoder.of(), BATCH);
    for (int i = 1; i <= 4; i++) {
      stream = stream.advanceWatermarkForNextBatch(DAY0.plus(Duration.millis(i)))
          .nextBatch(tick(Duration.standardHours(i), 100 + i));
    }
    // A batch with nothing, then the watermark passes the end of the day: the ON_TIME pane.
    return stream.advanceWatermarkForNextBatch(DAY0.plus(Duration.millis(5)))
        .emptyBatch()
        .advanceNextBatchWatermarkToInfinity()
        .emptyBatch()
        .emptyBatch();
  }
}
