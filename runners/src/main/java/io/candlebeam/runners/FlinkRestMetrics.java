package io.candlebeam.runners;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.metrics.DistributionResult;
import org.apache.beam.sdk.metrics.GaugeResult;
import org.apache.beam.sdk.metrics.MetricFiltering;
import org.apache.beam.sdk.metrics.MetricKey;
import org.apache.beam.sdk.metrics.MetricName;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.MetricResults;
import org.apache.beam.sdk.metrics.MetricsFilter;
import org.apache.beam.sdk.metrics.StringSetResult;
import org.joda.time.Instant;

/**
 * The Beam metrics of a running Flink job, read from Flink's REST API: how the launcher counts a
 * detached job, whose client gets no metrics from Beam. Beam's Flink runner mirrors every Beam
 * counter and gauge into a Flink metric of its operator, {@code <operator>.<namespace>_<name>};
 * Flink's API does not say a metric's kind, so each is answered both as a counter (the sum over
 * the operator's subtasks) and as a gauge (the largest value of a subtask): a caller asks by name
 * for what it knows the metric to be.
 *
 * <p>The job is found by its name, the newest of that name. When the cluster does not answer
 * (an embedded cluster goes with its cancelled job), the last answer stands: {@link #refresh}
 * just before a stop keeps the counts the job had.
 */
final class FlinkRestMetrics extends MetricResults {
  private final URI rest;
  private final String jobName;
  private final HttpClient http = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(2)).build();
  private volatile List<Value> values = List.of();

  FlinkRestMetrics(URI rest, String jobName) {
    this.rest = rest;
    this.jobName = jobName;
  }

  URI rest() {
    return rest;
  }

  @Override
  public MetricQueryResults queryMetrics(MetricsFilter filter) {
    refresh();
    List<MetricResult<Long>> counters = new ArrayList<>();
    List<MetricResult<GaugeResult>> gauges = new ArrayList<>();
    Instant now = Instant.now();
    for (Value v : values) {
      if (filter == null || MetricFiltering.matches(filter, v.key())) {
        counters.add(MetricResult.attempted(v.key(), v.sum()));
        gauges.add(MetricResult.attempted(v.key(), GaugeResult.create(v.max(), now)));
      }
    }
    return MetricQueryResults.create(counters, List.<MetricResult<DistributionResult>>of(), gauges,
        List.<MetricResult<StringSetResult>>of());
  }

  /** Reads the metrics now; keeps the last ones when the cluster does not answer. */
  void refresh() {
    try {
      values = read();
    } catch (IOException | RuntimeException e) {
      // the cluster is gone or busy: the last answer stands
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private List<Value> read() throws IOException, InterruptedException {
    String job = null;
    long newest = Long.MIN_VALUE;
    for (JsonNode j : get("jobs/overview").path("jobs")) {
      if (j.path("name").asText().equals(jobName) && j.path("start-time").asLong() > newest) {
        job = j.path("jid").asText();
        newest = j.path("start-time").asLong();
      }
    }
    if (job == null) {
      throw new IOException("no job named " + jobName + " at " + rest);
    }
    List<Value> found = new ArrayList<>();
    for (JsonNode vertex : get("jobs/" + job).path("vertices")) {
      String metrics = "jobs/" + job + "/vertices/" + vertex.path("id").asText()
          + "/subtasks/metrics";
      List<String> beam = new ArrayList<>();
      for (JsonNode m : get(metrics)) {
        if (key(m.path("id").asText()) != null) {
          beam.add(m.path("id").asText());
        }
      }
      if (beam.isEmpty()) {
        continue;
      }
      String ids = URLEncoder.encode(String.join(",", beam), StandardCharsets.UTF_8);
      for (JsonNode m : get(metrics + "?agg=sum,max&get=" + ids)) {
        found.add(new Value(key(m.path("id").asText()), (long) m.path("sum").asDouble(),
            (long) m.path("max").asDouble()));
      }
    }
    return found;
  }

  /** One Beam metric over the operator's subtasks: their sum (a counter), their largest (a gauge). */
  private record Value(MetricKey key, long sum, long max) {}

  /**
   * The Beam metric a Flink metric id mirrors, or null for Flink's own: {@code
   * <operator>.<namespace>_<name>}, the namespace candlebeam's or a Java class (Beam's own
   * counters, e.g. the runner's dropped-for-lateness count).
   */
  static MetricKey key(String id) {
    int dot = id.indexOf('.');
    int underscore = id.indexOf('_', dot + 1);
    if (dot < 0 || underscore < 0) {
      return null;
    }
    String namespace = id.substring(dot + 1, underscore);
    if (!namespace.equals("candlebeam") && !namespace.contains(".")) {
      return null;
    }
    return MetricKey.create(id.substring(0, dot),
        MetricName.named(namespace, id.substring(underscore + 1)));
  }

  private JsonNode get(String path) throws IOException, InterruptedException {
    return FlinkRest.get(http, rest.resolve(path));
  }
}
