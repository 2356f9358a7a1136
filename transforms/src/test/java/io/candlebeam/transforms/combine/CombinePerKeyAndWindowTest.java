package io.candlebeam.transforms.combine;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import io.candlebeam.transforms.TestPipelines;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Combine.CombineFn;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.windowing.AfterPane;
import org.apache.beam.sdk.transforms.windowing.AfterWatermark;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.transforms.windowing.Window.ClosingBehavior;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The generic combine: any element type, panes whose accumulator is empty never come out, and an
 * unbounded input's accumulating panes come from a discarding shuffle plus running totals that are
 * released when their window expires.
 */
class CombinePerKeyAndWindowTest {

  /** Sums the values of key-value pairs. */
  static final class SumValues extends CombineFn<KV<String, Long>, Long, Long> {
    @Override
    public Long createAccumulator() {
      return 0L;
    }

    @Override
    public Long addInput(Long sum, KV<String, Long> input) {
      return sum + input.getValue();
    }

    @Override
    public Long mergeAccumulators(Iterable<Long> sums) {
      long total = 0;
      for (long s : sums) {
        total += s;
      }
      return total;
    }

    @Override
    public Long extractOutput(Long sum) {
      return sum;
    }

    @Override
    public Coder<Long> getAccumulatorCoder(CoderRegistry r, Coder<KV<String, Long>> in) {
      return VarLongCoder.of();
    }
  }

  @Test
  void emptyPanesAreDroppedAndCounted() {
    // A zero sum counts as "empty" here: key B's values cancel out, so its only pane is empty and
    // must be dropped (as Spark's empty re-fired ON_TIME panes are), and counted.
    Pipeline p = TestPipelines.create();
    PCollection<String> out = p
        .apply(Create.of(KV.of("A", 2L), KV.of("A", 3L), KV.of("B", 4L), KV.of("B", -4L))
            .withCoder(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of())))
        .apply(CombinePerKeyAndWindow
            .<KV<String, Long>, String, Long>perKey(KV::getKey, StringUtf8Coder.of(), new SumValues())
            .skippingEmpty(sum -> sum == 0)
            .emitting((key, sum, window, pane) -> key + "=" + sum + " " + pane.getTiming(),
                StringUtf8Coder.of()));
    PAssert.that(out).containsInAnyOrder("A=5 ON_TIME");
    PipelineResult result = TestPipelines.runAndVerify(p);
    assertThat(TestPipelines.counter(result, CombinePerKeyAndWindow.EMPTY_PANES), is(1L));
  }

  @Test
  void unboundedPanesAccumulateThroughRunningTotalsThatAreReleasedWhenTheWindowExpires() {
    Instant base = new Instant(0);
    IntervalWindow window = new IntervalWindow(base, Duration.standardSeconds(10));
    TestStream<KV<String, Long>> input = TestStream
        .create(KvCoder.of(StringUtf8Coder.of(), VarLongCoder.of()))
        .advanceWatermarkTo(base)
        .addElements(TimestampedValue.of(KV.of("A", 2L), base.plus(Duration.standardSeconds(1))),
            TimestampedValue.of(KV.of("A", 3L), base.plus(Duration.standardSeconds(2))))
        // Watermark past the window end: the ON_TIME pane, 2 + 3.
        .advanceWatermarkTo(base.plus(Duration.standardSeconds(11)))
        // A late value within the 5 s lateness: a LATE pane with the whole sum, not just the 4.
        .addElements(TimestampedValue.of(KV.of("A", 4L), base.plus(Duration.standardSeconds(3))))
        // Watermark past end + lateness: the window expires; its running total is released, and
        // the shuffle's final (empty) pane does not come out.
        .advanceWatermarkToInfinity();
    Pipeline p = TestPipelines.create();
    PCollection<String> out = p.apply(input)
        .apply(Window.<KV<String, Long>>into(FixedWindows.of(Duration.standardSeconds(10)))
            .triggering(AfterWatermark.pastEndOfWindow()
                .withLateFirings(AfterPane.elementCountAtLeast(1)))
            .withAllowedLateness(Duration.standardSeconds(5), ClosingBehavior.FIRE_IF_NON_EMPTY)
            .accumulatingFiredPanes())
        .apply(CombinePerKeyAndWindow
            .<KV<String, Long>, String, Long>perKey(KV::getKey, StringUtf8Coder.of(), new SumValues())
            .skippingEmpty(sum -> sum == 0)
            .emitting((key, sum, w, pane) -> key + "=" + sum + " " + pane.getTiming() + " "
                + pane.getIndex(), StringUtf8Coder.of()));
    PAssert.that(out).inOnTimePane(window).containsInAnyOrder("A=5 ON_TIME 0");
    PAssert.that(out).inLatePane(window).containsInAnyOrder("A=9 LATE 1");
    PipelineResult result = TestPipelines.runAndVerify(p);
    assertThat(TestPipelines.counter(result, CombinePerKeyAndWindow.RUNNING_TOTALS_RELEASED),
        is(1L));
    assertThat(TestPipelines.counter(result, CombinePerKeyAndWindow.EMPTY_PANES), is(0L));
  }
}
