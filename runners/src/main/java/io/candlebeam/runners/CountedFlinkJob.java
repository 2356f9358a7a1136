package io.candlebeam.runners;

import java.io.IOException;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricResults;
import org.joda.time.Duration;

/**
 * A detached Flink job with its counts from Flink's REST API ({@link FlinkRestMetrics}). A stop
 * reads the counts once more before it cancels the job: an embedded cluster shuts down with its
 * job, so the counts at the stop are the last the cluster gave.
 */
final class CountedFlinkJob implements PipelineResult {
  private final PipelineResult job;
  private final FlinkRestMetrics metrics;

  CountedFlinkJob(PipelineResult job, FlinkRestMetrics metrics) {
    this.job = job;
    this.metrics = metrics;
  }

  @Override
  public State getState() {
    return job.getState();
  }

  @Override
  public State cancel() throws IOException {
    metrics.refresh();
    return job.cancel();
  }

  /**
   * The job's end, or CANCELLED when its embedded cluster went with it before it could say (used
   * after a stop; the untimed wait reports a failure as it is).
   */
  @Override
  public State waitUntilFinish(Duration duration) {
    try {
      return job.waitUntilFinish(duration);
    } catch (RuntimeException gone) {
      return State.CANCELLED;
    }
  }

  @Override
  public State waitUntilFinish() {
    return job.waitUntilFinish();
  }

  /** The REST API (and web UI) the counts come from. */
  java.net.URI rest() {
    return metrics.rest();
  }

  @Override
  public MetricResults metrics() {
    return metrics;
  }
}
