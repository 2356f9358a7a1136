package io.candlebeam.runners;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import io.candlebeam.pipeline.BundledTestData;
import io.candlebeam.pipeline.ExpectedCandles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Operating a streaming job the same way on every runner: counts printed every
 * {@code --reportIntervalSeconds} while it runs, and on SIGTERM a graceful stop that prints the
 * final counts and exits 0; Spark's and Flink's web UIs at the addresses printed at start (a
 * detached Flink job's counts come from its REST API). (The SparkRunner's stop is also exercised by
 * KafkaRecoveryIT.)
 */
class GracefulStopIT {

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"DirectRunner", "FlinkRunner", "SparkRunner"})
  @Timeout(value = 4, unit = TimeUnit.MINUTES)
  void periodicCountsThenAGracefulStopWithTheFinalCounts(String runner, @TempDir Path dir)
      throws Exception {
    Path in = Files.createDirectories(dir.resolve("in"));
    Path bundled = Path.of(BundledTestData.extract()).getParent();
    try (var files = Files.list(bundled)) {
      for (Path f : files.filter(f -> f.toString().endsWith(".jsonl")).sorted().toList()) {
        Files.copy(f, in.resolve(f.getFileName()));
      }
    }
    Properties counts = ExpectedCandles.counts(BundledTestData.resource("expected/counts.properties"));
    long lines = Long.parseLong(counts.getProperty("lines"));
    // A watched directory without --availableNow: the job runs until it is stopped.
    JobProcess job = JobProcess.start(dir.resolve("job.out"), List.of("--runner=" + runner,
        "--streaming", "--source=directory", "--input=" + in, "--filePattern=*.jsonl",
        "--outputDir=" + dir.resolve("out"), "--sinks=json", "--reportIntervalSeconds=1",
        "--allowedLateness=3650d"));
    // Every record read and parsed or dead-lettered (on Flink the parse counts follow a bundle,
    // and the REST API's view of them a second, behind the records read)
    job.await("periodic counts with every record read and parsed", 180, () -> {
      long[] c = job.lastCounts();
      return c[0] == lines && c[1] + c[2] + c[3] == lines;
    });
    assertThat(job.output(), containsString(" running] records read "));
    if (runner.equals("SparkRunner")) {
      // Spark's web UI is on for a local streaming run, at the address printed at start.
      assertThat(get(webUi(job, "Spark UI at ") + "/streaming/"), containsString("Streaming"));
    }
    if (runner.equals("FlinkRunner")) {
      // Flink's web UI and REST API, from which the launcher read the detached job's counts.
      String ui = webUi(job, "Flink web UI at ");
      assertThat(get(ui), containsString("Apache Flink Web Dashboard"));
      assertThat(get(ui + "jobs/overview"), containsString("\"state\":\"RUNNING\""));
    }
    assertThat("exit code of the graceful stop; output:\n" + job.output(), job.sigterm(), is(0));
    String out = job.output();
    assertThat(out, containsString("candlebeam: stopping"));
    assertThat(out, containsString(" stopped] records read " + lines + " = too late 0 + parsed "
        + counts.getProperty("ticks") + " + dead letters " + counts.getProperty("malformed")));
  }

  /** The web UI's address the job printed after {@code prefix}. */
  private static String webUi(JobProcess job, String prefix) throws java.io.IOException {
    java.util.regex.Matcher ui = java.util.regex.Pattern.compile(prefix + "(http://\\S+)")
        .matcher(job.output());
    assertThat("the UI's address; output:\n" + job.output(), ui.find(), is(true));
    return ui.group(1);
  }

  /** The body of a 200 answer to GET {@code url}. */
  private static String get(String url) throws Exception {
    java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(
        java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).build(),
        java.net.http.HttpResponse.BodyHandlers.ofString());
    assertThat(url, r.statusCode(), is(200));
    return r.body();
  }
}
