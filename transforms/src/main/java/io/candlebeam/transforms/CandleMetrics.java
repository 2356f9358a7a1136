package io.candlebeam.transforms;

import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;

/**
 * Reads the pipeline's counters after (or during) a run. Values are attempted values: the only kind
 * every runner reports (Spark reports no committed values).
 */
public final class CandleMetrics {
  /** Counted by the runner's GroupAlsoByWindow; Direct spells it "DroppedDueToLateness". */
  public static final String DROPPED_LATE = "droppedDueToLateness";

  private CandleMetrics() {}

  /** The sum of every counter named {@code name} (case-insensitive), whatever its namespace. */
  public static long counter(PipelineResult result, String name) {
    long sum = 0;
    for (MetricResult<Long> c :
        result.metrics().queryMetrics(MetricsFilter.builder().build()).getCounters()) {
      if (c.getName().getName().equalsIgnoreCase(name)) {
        sum += c.getAttempted();
      }
    }
    return sum;
  }
}
