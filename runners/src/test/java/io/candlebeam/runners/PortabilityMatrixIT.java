package io.candlebeam.runners;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.oneOf;

import io.candlebeam.pipeline.BundledTestData;
import io.candlebeam.pipeline.ExpectedCandles;
import io.candlebeam.transforms.model.Candle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * One pipeline, every engine: the jar, run as a user runs it, over the bundled data (3,031 lines:
 * 3,000 ticks shuffled across 4 files, 31 malformed), in batch on DirectRunner, SparkRunner local,
 * a Spark standalone cluster (master, worker and executors as separate JVMs) and FlinkRunner, and
 * streaming on SparkRunner, FlinkRunner and DirectRunner; every run's final candles equal the
 * generator's independent reference, and so each other.
 *
 * <p>Streaming reads the same files from a watched directory, one file per micro-batch, with
 * Spark's availableNow (read what is there, then the watermark ends). The files are shuffled
 * across days, so windows fire ON_TIME early and then LATE panes as older ticks arrive (allowed
 * lateness is long enough to keep them all); "final" is the latest pane of each window, which must
 * hold every tick. Normalized, not leaked: Flink batch's pane timing is UNKNOWN (written as
 * ON_TIME), and Spark's empty re-fired panes never reach a sink (a leaked one would be the latest
 * pane, with no ticks, and fail the comparison).
 */
class PortabilityMatrixIT {

  enum Run {
    DIRECT_BATCH("DirectRunner", false),
    SPARK_BATCH("SparkRunner", false),
    SPARK_STANDALONE_BATCH("SparkRunner", false),
    FLINK_BATCH("FlinkRunner", false),
    SPARK_STREAMING("SparkRunner", true),
    FLINK_STREAMING("FlinkRunner", true),
    DIRECT_STREAMING("DirectRunner", true);

    final String runner;
    final boolean streaming;

    Run(String runner, boolean streaming) {
      this.runner = runner;
      this.streaming = streaming;
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(Run.class)
  @Timeout(value = 6, unit = TimeUnit.MINUTES)
  void sameFinalCandlesOnEveryEngine(Run run, @TempDir Path dir) throws Exception {
    Path out = dir.resolve("out");
    List<String> args = new ArrayList<>(List.of("--runner=" + run.runner,
        "--outputDir=" + out, "--sinks=json"));
    if (run.streaming) {
      Path in = Files.createDirectories(dir.resolve("in"));
      Path bundled = Path.of(BundledTestData.extract()).getParent();
      try (var files = Files.list(bundled)) {
        for (Path f : files.filter(f -> f.toString().endsWith(".jsonl")).sorted().toList()) {
          Files.copy(f, in.resolve(f.getFileName()));
        }
      }
      args.addAll(List.of("--streaming", "--source=directory", "--input=" + in,
          "--filePattern=*.jsonl", "--availableNow", "--maxFilesPerTrigger=1",
          "--allowedLateness=3650d"));
    }
    SparkStandalone cluster = null;
    List<String> jvm = List.of();
    if (run == Run.SPARK_STANDALONE_BATCH) {
      cluster = SparkStandalone.start(dir, 2);
      jvm = cluster.driverOptions();
      args.add("--sparkMaster=" + cluster.url());
    } else if (run.runner.equals("SparkRunner")) {
      args.add("--sparkMaster=local[2]");
    }
    try {
      JobProcess job = JobProcess.start(dir.resolve("job.out"), jvm, args);
      // Batch runs and --availableNow streaming runs end by themselves on every runner (on
      // Spark, the launcher stops the run once everything available is read and written).
      assertThat("exit code; output:\n" + job.output(), job.waitFor(300), is(0));
      if (run.streaming && run.runner.equals("SparkRunner")) {
        assertThat(job.output(), containsString("--availableNow: everything that was there is read"));
      }
      List<Candle> finals = finalPanes(out);
      for (Candle c : finals) {
        assertThat(c.paneTiming(), oneOf("ON_TIME", "LATE"));
      }
      ExpectedCandles.assertMatches(
          ExpectedCandles.load(BundledTestData.resource("expected/candles.jsonl")),
          finals);
      if (cluster != null) {
        try (var apps = Files.list(dir.resolve("work"))) {
          assertThat("the tasks ran in an executor the worker launched",
              apps.findAny().isPresent(), is(true));
        }
      }
    } finally {
      if (cluster != null) {
        cluster.close();
      }
    }
  }

  /** The latest pane of each window (the job has ended). */
  private static List<Candle> finalPanes(Path out) throws java.io.IOException {
    return ExpectedCandles.latestPanes(ExpectedCandles.readJson(out.resolve("json")));
  }
}
