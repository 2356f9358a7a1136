package io.candlebeam.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import io.candlebeam.pipeline.options.CandleOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Acceptance 6: device files dropped into a watched directory one by one, one file per trigger,
 * each archived once processed; a file name dropped again adds nothing. (The one-file-per-trigger
 * and restart rules are tested reader by reader in WatchDirectorySourceTest.)
 */
class WatchedDirectoryTest {

  private static void drop(Path dir, String name, String eventId, String deviceId) throws Exception {
    Path staged = Files.writeString(dir.resolveSibling(name + ".tmp"),
        "{\"eventId\": \"" + eventId + "\", \"eventOffset\": 1, \"eventPublisher\": \"device\", "
            + "\"customerId\": \"CI1\", \"data\": {\"devices\": [{\"deviceId\": \"" + deviceId
            + "\", \"temperature\": 15, \"measure\": \"C\", \"status\": \"ERROR\"}]}, "
            + "\"eventTime\": \"2023-01-05 11:13:53.643364\"}");
    Files.move(staged, dir.resolve(name));
  }


  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void filesDroppedOneByOneAreReadOnceAndArchived(@TempDir Path root) throws Exception {
    Path in = Files.createDirectories(root.resolve("in"));
    Path archive = root.resolve("archive");
    Path out = root.resolve("out");
    CandleOptions options = Launcher.plain().parse(new String[] {"--runner=DirectRunner",
        "--job=devices", "--source=directory", "--input=" + in, "--filePattern=*.json",
        "--multiLine=true", "--maxFilesPerTrigger=1", "--cleanSource=archive",
        "--sourceArchiveDir=" + archive, "--outputDir=" + out, "--sinks=json"}).options();
    options.as(DirectOptions.class).setBlockOnRun(false);
    Pipeline p = Pipeline.create(options);
    JobConfig config = JobConfig.from(options);
    ToolkitJobs.devices(p, config, CandlePipeline.source(config));
    PipelineResult result = p.run();
    try {
      // The DirectRunner finalizes a checkpoint (so archives its files) when it next reads data:
      // file i is archived once file i + 1 has been read. (Spark finalizes after each micro-batch.)
      for (int i = 1; i <= 4; i++) {
        String name = "events-" + i + ".json";
        drop(in, name, "e" + i, "D00" + i);
        Await.until(name + " processed", 60,
            () -> Files.exists(out.resolve("json/e" + name.charAt(7) + ".jsonl")));
        if (i > 1) {
          String previous = "events-" + (i - 1) + ".json";
          Await.until(previous + " archived", 60, () -> Files.exists(archive.resolve(previous))
              && !Files.exists(in.resolve(previous)));
        }
      }
      // A name already read, dropped again: never read twice (it stays where it was dropped).
      drop(in, "events-2.json", "e9", "D009");
      Thread.sleep(2_000);
      assertThat(Files.exists(out.resolve("json/e9.jsonl")), is(false));
      assertThat(Files.exists(in.resolve("events-2.json")), is(true));
      assertThat(ExpectedCandles.files(out.resolve("json"), ".jsonl").size(), is(4));
    } finally {
      result.cancel();
    }
  }
}
