package io.candlebeam.runners;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import io.candlebeam.pipeline.BundledTestData;
import io.candlebeam.pipeline.ExpectedCandles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real distributed run: the jar submitted to a Spark standalone cluster (master, worker and the
 * executors as separate JVMs) computes the same candles as the reference, and so as the local runs.
 */
class SparkStandaloneIT {

  @Test
  @Timeout(value = 6, unit = TimeUnit.MINUTES)
  void theJarOnAStandaloneClusterGivesTheReferenceCandles(@TempDir Path dir) throws Exception {
    try (SparkStandalone cluster = SparkStandalone.start(dir, 2)) {
      Path out = dir.resolve("out");
      JobProcess job = JobProcess.start(dir.resolve("driver.out"), cluster.driverOptions(),
          List.of("--sparkMaster=" + cluster.url(), "--outputDir=" + out, "--sinks=json"));
      int exit = job.waitFor(300);
      assertThat("driver exit code; output:\n" + job.output(), exit, is(0));
      ExpectedCandles.assertMatches(
          ExpectedCandles.load(BundledTestData.resource("expected/candles.jsonl")),
          ExpectedCandles.readJson(out.resolve("json")));
      // The tasks ran in an executor the worker launched, not in the driver.
      try (var apps = Files.list(dir.resolve("work"))) {
        assertThat("an application ran on the worker", apps.findAny().isPresent(), is(true));
      }
    }
  }
}
