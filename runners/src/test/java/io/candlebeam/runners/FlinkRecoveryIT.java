package io.candlebeam.runners;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import io.candlebeam.pipeline.ExpectedCandles;
import io.candlebeam.pipeline.TickProducer;
import io.candlebeam.testdata.ReferenceCandles;
import io.candlebeam.testdata.TickGenerator;
import io.candlebeam.transforms.model.Candle;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A FlinkRunner streaming job resumes across process restarts: it reads a live feed from Kafka
 * with {@code --startingOffsets=latest}, is SIGKILLed twice while the feed goes on (records keep
 * arriving while it is down) and is started again with the same flags. Only a restore of its
 * retained checkpoint (offsets and window state) gives the reference candles: a fresh start would
 * skip what arrived while it was down (latest), and a replay without the state would count twice.
 */
class FlinkRecoveryIT {
  private static final String TOPIC = "live-ticks";

  @Test
  @Timeout(value = 10, unit = TimeUnit.MINUTES)
  void sigkillTwiceMidFeedAndRestartEndsWithTheReferenceCandles(@TempDir Path dir)
      throws Exception {
    try (KafkaBroker broker = KafkaBroker.start(dir.resolve("broker"))) {
      broker.createTopic(TOPIC, KafkaTicks.PARTITIONS);
      TickGenerator.DataSet data = TickGenerator.write(dir.resolve("data"),
          new TickGenerator(91, 4, 3, 400, 1, 101, LocalDate.parse("2024-06-01")).inTimeOrder());
      Path checkpoints = dir.resolve("ckpt").resolve(FlinkCheckpoints.FOLDER);
      Path out = dir.resolve("out");
      List<String> flags = List.of("--runner=FlinkRunner", "--source=kafka", "--topics=" + TOPIC,
          "--bootstrapServers=" + broker.bootstrapServers(), "--startingOffsets=latest",
          "--streaming", "--checkpointDir=" + dir.resolve("ckpt"), "--sinks=json",
          "--outputDir=" + out);

      // Run 1 reads from the end of the empty topic; once it has checkpointed, the feed starts.
      JobProcess run1 = JobProcess.start(dir.resolve("run1.out"), flags);
      run1.await("a first checkpoint", 120, () -> FlinkCheckpoints.latest(checkpoints).isPresent());
      CompletableFuture<Integer> feed = CompletableFuture.supplyAsync(() -> produce(broker, dir));
      awaitNewCheckpoint(run1, checkpoints, 4_000);
      run1.sigkill();
      Thread.sleep(3_000); // the feed goes on while the job is down

      // Run 2 restores the latest checkpoint; killed again mid-feed.
      JobProcess run2 = JobProcess.start(dir.resolve("run2.out"), flags);
      awaitNewCheckpoint(run2, checkpoints, 4_000);
      assertThat(run2.fullOutput(), containsString("candlebeam: resuming from Flink checkpoint"));
      assertThat("killed while the feed was still going", feed.isDone(), is(false));
      run2.sigkill();
      Thread.sleep(3_000);

      // Run 3 restores again and reads to the end; a tick two days later closes every window.
      JobProcess run3 = JobProcess.start(dir.resolve("run3.out"), flags);
      assertThat("the feed", feed.get(180, TimeUnit.SECONDS), is(0));
      long last = data.ticks().stream().mapToLong(ReferenceCandles.GeneratedTick::eventTime).max()
          .orElseThrow();
      KafkaTicks.closeWindows(broker, TOPIC, last + 2 * 86_400_000L);
      Map<String, JsonNode> expected = KafkaTicks.expected(data);
      run3.await("an ON_TIME candle for every symbol and day", 240,
          () -> onTime(out.resolve("json")).size() >= expected.size());
      run3.sigkill();
      assertThat(run3.fullOutput(), containsString("candlebeam: resuming from Flink checkpoint"));

      List<Candle> candles = ExpectedCandles.readJson(out.resolve("json"));
      assertThat("one file per candle: " + candles.stream().map(c -> c.symbol() + "@"
          + c.windowStart() + " " + c.paneTiming() + "#" + c.paneIndex()).sorted().toList(),
          candles.size(), is(expected.size()));
      assertThat(candles.stream().filter(c -> !c.paneTiming().equals("ON_TIME")).toList(), empty());
      ExpectedCandles.assertMatches(expected, candles);
      long deadLetters = 0;
      for (Path f : ExpectedCandles.files(out.resolve("deadletter"), ".jsonl")) {
        deadLetters += Files.readAllLines(f).size();
      }
      assertThat("one dead letter per malformed line", deadLetters, is((long) data.malformed()));
    }
  }

  /** The feed: the generated ticks at 250 records/s (about 20 s), keyed by symbol. */
  private static int produce(KafkaBroker broker, Path dir) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    return TickProducer.run(new String[] {"--input=" + dir.resolve("data/ticks/*.jsonl"),
        "--topic=" + TOPIC, "--bootstrapServers=" + broker.bootstrapServers(), "--rate=250"},
        new PrintStream(new ByteArrayOutputStream()), new PrintStream(err));
  }

  /** Waits at least {@code millis}, then until a checkpoint newer than that moment is complete. */
  private static void awaitNewCheckpoint(JobProcess job, Path checkpoints, long millis)
      throws Exception {
    Thread.sleep(millis);
    FileTime after = FileTime.fromMillis(System.currentTimeMillis());
    job.await("a checkpoint after " + after, 120, () -> {
      Optional<Path> latest = FlinkCheckpoints.latest(checkpoints);
      try {
        return latest.isPresent()
            && Files.getLastModifiedTime(latest.get().resolve("_metadata")).compareTo(after) > 0;
      } catch (java.io.IOException e) {
        return false;
      }
    });
  }

  private static List<Candle> onTime(Path json) {
    try {
      return Files.isDirectory(json) ? ExpectedCandles.readJson(json).stream()
          .filter(c -> c.paneTiming().equals("ON_TIME")).toList() : List.of();
    } catch (java.io.IOException | java.io.UncheckedIOException e) {
      return List.of(); // a file moved under the walk: the job is writing
    }
  }
}
