package io.candlebeam.transforms;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.is;

import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;

/**
 * JUnit 5 stand-in for Beam's JUnit 4 {@code TestPipeline}: a DirectRunner pipeline, run to the end,
 * that fails unless every PAssert in it ran and succeeded (so a test cannot pass by asserting
 * nothing).
 */
public final class TestPipelines {
  private TestPipelines() {}

  public static Pipeline create() {
    return Pipeline.create(PipelineOptionsFactory.fromArgs("--runner=DirectRunner").create());
  }

  /** Runs {@code p} and checks that all its PAsserts succeeded; returns the finished result. */
  public static PipelineResult runAndVerify(Pipeline p) {
    int asserts = PAssert.countAsserts(p);
    PipelineResult result = p.run();
    result.waitUntilFinish();
    assertThat("PAssert failures", counter(result, PAssert.FAILURE_COUNTER), is(0L));
    assertThat("PAsserts that succeeded", counter(result, PAssert.SUCCESS_COUNTER),
        greaterThanOrEqualTo((long) asserts));
    return result;
  }

  /** See {@link CandleMetrics#counter}. */
  public static long counter(PipelineResult result, String name) {
    return CandleMetrics.counter(result, name);
  }
}
