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
 * final counts and exits 0. (The SparkRunner's stop is also exercised by KafkaRecoveryIT.)
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
    if (runner.equals("FlinkRunner")) {
      // Beam's Flink metrics do not reach a detached client on the embedded cluster: the job
      // says so instead of printing zeros, and is watched through its output.
      Path json = dir.resolve("out/json");
      job.await("candles written", 180, () -> hasFiles(json));
      assertThat(job.output(), containsString("reports no counts to the launcher"));
      assertThat("exit code of the graceful stop; output:\n" + job.output(), job.sigterm(), is(0));
      assertThat(job.output(), containsString("candlebeam: stopping"));
      assertThat(job.output(), containsString("candlebeam: stopped (no counts from the runner)"));
      return;
    }
    job.await("periodic counts with every record read", 180, () -> job.recordsRead() == lines);
    assertThat(job.output(), containsString(" running] records read "));
    if (runner.equals("SparkRunner")) {
      // Spark's web UI is on for a local streaming run, at the address printed at start.
      java.util.regex.Matcher ui = java.util.regex.Pattern.compile("Spark UI at (http://\\S+)")
          .matcher(job.output());
      assertThat("the UI's address; output:\n" + job.output(), ui.find(), is(true));
      java.net.HttpURLConnection page = (java.net.HttpURLConnection)
          java.net.URI.create(ui.group(1) + "/streaming/").toURL().openConnection();
      assertThat(page.getResponseCode(), is(200));
      page.disconnect();
    }
    assertThat("exit code of the graceful stop; output:\n" + job.output(), job.sigterm(), is(0));
    String out = job.output();
    assertThat(out, containsString("candlebeam: stopping"));
    assertThat(out, containsString(" stopped] records read " + lines + " = too late 0 + parsed "
        + counts.getProperty("ticks") + " + dead letters " + counts.getProperty("malformed")));
  }

  private static boolean hasFiles(Path dir) {
    try {
      return Files.isDirectory(dir) && !ExpectedCandles.files(dir, ".jsonl").isEmpty();
    } catch (java.io.IOException | java.io.UncheckedIOException e) {
      return false; // being written
    }
  }
}
