package io.candlebeam.transforms;

import org.apache.beam.sdk.PipelineResult;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.beam.sdk.metrics.GaugeResult;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricsFilter;

/**
 * Reads the pipeline's counters after (or during) a run: committed values where the runner has them
 * (Direct, Flink), attempted values elsewhere (Spark reports only those). Committed, because the
 * DirectRunner reports a bundle's attempted values only after the bundle's result is handed on, so
 * a query right after {@code waitUntilFinish} can miss what the last bundles counted in
 * {@code @FinishBundle}.
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
        Long committed = c.getCommittedOrNull();
        sum += committed != null ? committed : c.getAttempted();
      }
    }
    return sum;
  }

  /** The latest value of every gauge whose name starts with {@code prefix}, by name. */
  public static Map<String, Long> gauges(PipelineResult result, String prefix) {
    Map<String, Long> values = new LinkedHashMap<>();
    for (MetricResult<GaugeResult> g :
        result.metrics().queryMetrics(MetricsFilter.builder().build()).getGauges()) {
      String name = g.getName().getName();
      if (name.startsWith(prefix)) {
        GaugeResult committed = g.getCommittedOrNull();
        GaugeResult v = committed != null ? committed : g.getAttempted();
        values.merge(name, v.getValue(), Math::max);
      }
    }
    return values;
  }
}
