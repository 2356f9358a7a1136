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
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.junit.jupiter.api.Test;

/** The generic combine: any element type, and panes whose accumulator is empty never come out. */
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
        .apply(new CombinePerKeyAndWindow<KV<String, Long>, String, Long, String>(
            KV::getKey, StringUtf8Coder.of(), new SumValues(), sum -> sum == 0,
            (key, sum, window, pane) -> key + "=" + sum + " " + pane.getTiming(),
            StringUtf8Coder.of()));
    PAssert.that(out).containsInAnyOrder("A=5 ON_TIME");
    PipelineResult result = TestPipelines.runAndVerify(p);
    assertThat(TestPipelines.counter(result, CombinePerKeyAndWindow.EMPTY_PANES), is(1L));
  }
}
