package io.candlebeam.runners;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.metrics.MetricKey;
import org.apache.beam.sdk.metrics.MetricName;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import io.candlebeam.transforms.CandleMetrics;
import org.apache.flink.configuration.GlobalConfiguration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where the Flink web UI and REST API are ({@link FlinkRest}), and a detached job's counts read
 * from the REST API ({@link FlinkRestMetrics}) against a stand-in that answers as Flink 1.19 does
 * (the shapes recorded from the embedded cluster; GracefulStopIT reads a real one).
 */
class FlinkRestTest {

  private static FlinkPipelineOptions flink(String... args) {
    return PipelineOptionsFactory.fromArgs(args).as(FlinkPipelineOptions.class);
  }

  private static Map<String, String> written(FlinkPipelineOptions options) {
    return GlobalConfiguration.loadConfiguration(options.getFlinkConfDir()).toMap();
  }

  @Test
  void anEmbeddedClusterBindsAPortOf8081To8180OnLoopbackWithoutJarUploads() {
    FlinkPipelineOptions options = flink();
    FlinkRest.embed(options);
    Map<String, String> conf = written(options);
    assertThat(conf.get("rest.bind-port"), is("8081-8180"));
    assertThat(conf.get("rest.bind-address"), is("127.0.0.1"));
    assertThat(conf.get("web.submit.enable"), is("false"));
    assertThat(conf.get("metrics.fetcher.update-interval"), is("1000"));
  }

  @Test
  void theJobsClusterIsTheOneInTheRangeThatListsTheJob(@TempDir Path dir) throws Exception {
    // two clusters on neighbouring ports, the first running another job
    HttpServer[] two = neighbours();
    try {
      answer(two[0], "/jobs/overview", "{\"jobs\":[{\"jid\":\"a\",\"name\":\"other\"}]}");
      answer(two[1], "/jobs/overview", "{\"jobs\":[{\"jid\":\"b\",\"name\":\"job-1\"}]}");
      int first = two[0].getAddress().getPort();
      Files.writeString(dir.resolve("flink-conf.yaml"), "rest.bind-port: " + (first - 1) + "-"
          + (first + 2) + "\ntaskmanager.numberOfTaskSlots: 3\n");
      FlinkPipelineOptions options = flink("--flinkConfDir=" + dir);
      FlinkRest.embed(options);
      assertThat("the user's own settings kept", written(options).get(
          "taskmanager.numberOfTaskSlots"), is("3"));
      assertThat(FlinkRest.of(options, true, "job-1"), is(Optional.of(URI.create(
          "http://127.0.0.1:" + (first + 1) + "/"))));
      assertThat(FlinkRest.of(options, true, "job-2"), is(Optional.empty()));
      assertThat("--flinkUi=false", FlinkRest.of(options, false, "job-1"), is(Optional.empty()));
    } finally {
      two[0].stop(0);
      two[1].stop(0);
    }
  }

  @Test
  void aClustersAddressIsFlinkMasters() {
    assertThat(FlinkRest.of(flink("--flinkMaster=jm.example:8082"), true, "j"),
        is(Optional.of(URI.create("http://jm.example:8082/"))));
    assertThat(FlinkRest.of(flink("--flinkMaster=jm.example"), false, "j"),
        is(Optional.of(URI.create("http://jm.example:8081/"))));
  }

  @Test
  void metricIdsMapToBeamsMetricsAndFlinksOwnAreLeftOut() {
    assertThat(FlinkRestMetrics.key("Source__Read/ReadUnbounded.candlebeam_records_read"),
        is(MetricKey.create("Source__Read/ReadUnbounded",
            MetricName.named("candlebeam", "records_read"))));
    assertThat(FlinkRestMetrics.key("Group.org.apache.beam.runners.core."
        + "LateDataDroppingDoFnRunner_droppedDueToLateness"), is(MetricKey.create("Group",
            MetricName.named("org.apache.beam.runners.core.LateDataDroppingDoFnRunner",
                "droppedDueToLateness"))));
    assertThat(FlinkRestMetrics.key("Flat_Map.numBytesInPerSecond"), is((MetricKey) null));
    assertThat(FlinkRestMetrics.key("mailboxLatencyMs_p999"), is((MetricKey) null));
    assertThat(FlinkRestMetrics.key("Window_Assign_out.currentOutputWatermark"),
        is((MetricKey) null));
  }

  @Test
  void countsAreSummedOverOperatorsAndSubtasksOfTheNewestJobOfThatName() throws Exception {
    HttpServer flink = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    String older = "{\"jid\":\"old\",\"name\":\"job-1\",\"start-time\":100,\"state\":\"CANCELED\"}";
    answer(flink, "/jobs/overview", "{\"jobs\":[" + older + ",{\"jid\":\"j2\",\"name\":\"job-1\","
        + "\"start-time\":200,\"state\":\"RUNNING\"},{\"jid\":\"j3\",\"name\":\"other\","
        + "\"start-time\":300,\"state\":\"RUNNING\"}]}");
    answer(flink, "/jobs/j2", "{\"jid\":\"j2\",\"vertices\":[{\"id\":\"v1\"},{\"id\":\"v2\"}]}");
    answer(flink, "/jobs/j2/vertices/v1/subtasks/metrics", q -> q == null
        ? "[{\"id\":\"Source__Read.candlebeam_records_read\"},{\"id\":\"numRecordsIn\"},"
            + "{\"id\":\"Parse.candlebeam_parsed\"}]"
        : q.equals("agg=sum,max&get=Source__Read.candlebeam_records_read,Parse.candlebeam_parsed")
            ? "[{\"id\":\"Source__Read.candlebeam_records_read\",\"sum\":3031.0,\"max\":2000.0},"
                + "{\"id\":\"Parse.candlebeam_parsed\",\"sum\":3000.0,\"max\":1990.0}]"
            : "[]");
    answer(flink, "/jobs/j2/vertices/v2/subtasks/metrics", q -> q == null
        ? "[{\"id\":\"Write-json.candlebeam_json_rows\"},"
            + "{\"id\":\"Source__Read.candlebeam_kafka_position|t-0\"}]"
        : "[{\"id\":\"Write-json.candlebeam_json_rows\",\"sum\":40.0,\"max\":40.0},"
            + "{\"id\":\"Source__Read.candlebeam_kafka_position|t-0\",\"sum\":900.0,"
            + "\"max\":500.0}]");
    flink.start();
    try {
      FlinkRestMetrics metrics = new FlinkRestMetrics(URI.create("http://127.0.0.1:"
          + flink.getAddress().getPort() + "/"), "job-1");
      PipelineResult job = new CountedFlinkJob(null, metrics);
      assertThat(CandleMetrics.counter(job, "records_read"), is(3031L));
      assertThat(CandleMetrics.counter(job, "parsed"), is(3000L));
      assertThat(CandleMetrics.counter(job, "json_rows"), is(40L));
      // a gauge: the largest value of a subtask (one that read the partition before a rescale
      // keeps its older position)
      assertThat(CandleMetrics.gauges(job, "kafka_position|").get("kafka_position|t-0"),
          is(500L));
      assertThat("Flink's own metrics are not Beam's", CandleMetrics.counter(job,
          "numRecordsIn"), is(0L));
      // the cluster gone (an embedded one goes with its cancelled job): the last counts stand
      flink.stop(0);
      assertThat(CandleMetrics.counter(job, "records_read"), is(3031L));
    } finally {
      flink.stop(0);
    }
  }

  private static void answer(HttpServer server, String path, String body) {
    answer(server, path, q -> body);
  }

  private static void answer(HttpServer server, String path,
      java.util.function.Function<String, String> byQuery) {
    server.createContext(path, exchange -> {
      if (!exchange.getRequestURI().getPath().equals(path)) {
        exchange.sendResponseHeaders(404, -1);
        exchange.close();
        return;
      }
      byte[] bytes = byQuery.apply(exchange.getRequestURI().getQuery())
          .getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, bytes.length);
      exchange.getResponseBody().write(bytes);
      exchange.close();
    });
  }

  /** Two started servers on neighbouring ports of 127.0.0.1. */
  private static HttpServer[] neighbours() throws Exception {
    for (int attempt = 0; ; attempt++) {
      HttpServer a = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
      try {
        HttpServer b = HttpServer.create(new InetSocketAddress("127.0.0.1",
            a.getAddress().getPort() + 1), 0);
        a.start();
        b.start();
        return new HttpServer[] {a, b};
      } catch (java.net.BindException taken) {
        a.stop(0);
        if (attempt == 20) {
          throw taken;
        }
      }
    }
  }
}
