package io.candlebeam.runners;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import io.candlebeam.pipeline.ExpectedCandles;
import io.candlebeam.testdata.ReferenceCandles;
import io.candlebeam.testdata.TickGenerator;
import io.candlebeam.transforms.model.Candle;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A backlog the SparkRunner reads under memory pressure: 1,000 symbols x 2 days (300,000 ticks)
 * from {@code earliest}, the job's JVM at {@code -Xmx512m} (near Spark's minimum). Spark drops
 * cached blocks then; Beam's source read cached {@code MEMORY_ONLY} was computed again, reading
 * Kafka twice or skipping records (measured before the fix with the short batches: 254,390 records
 * read of 300,000; with 1 M ticks, 1,149,699), so the read is cached {@code MEMORY_AND_DISK}
 * ({@link SparkSourceReads}). Every record once into the candles: Kafka offsets read = records read
 * = the records in the topic, the latest panes = the reference. With short batches in update mode
 * (the stress) and with the default flags.
 */
class KafkaMemoryPressureIT {
  private static final String TOPIC = "pressure";

  @ParameterizedTest(name = "flags: [{0}]")
  @ValueSource(strings = {"--outputMode=update --batchIntervalMillis=250 --minReadTimeMillis=100",
      ""})
  @Timeout(value = 8, unit = TimeUnit.MINUTES)
  void aBacklogReadWithASmallHeapIsReadExactlyOnce(String flags, @TempDir Path dir)
      throws Exception {
    try (KafkaBroker broker = KafkaBroker.start(dir.resolve("broker"))) {
      TickGenerator.DataSet data = KafkaTicks.produce(broker, dir, TOPIC,
          new TickGenerator(31, 1000, 2, 150, 2, 997, LocalDate.parse("2025-11-01"))
              .inTimeOrder());
      long last = data.ticks().stream().mapToLong(ReferenceCandles.GeneratedTick::eventTime).max()
          .orElseThrow();
      // a tick two days on in every partition closes every window
      KafkaTicks.closeWindows(broker, TOPIC, last + 2 * 86_400_000L);
      Map<String, JsonNode> expected = KafkaTicks.expected(data);
      long records = data.lines() + KafkaTicks.PARTITIONS;
      Path out = dir.resolve("out");
      List<String> args = new ArrayList<>(List.of("--source=kafka", "--topics=" + TOPIC,
          "--bootstrapServers=" + broker.bootstrapServers(), "--startingOffsets=earliest",
          "--sinks=json", "--reportIntervalSeconds=1", "--outputDir=" + out));
      Arrays.stream(flags.split(" ")).filter(f -> !f.isEmpty()).forEach(args::add);
      JobProcess job = JobProcess.start(dir.resolve("job.out"), List.of("-Xmx512m"), args);
      try {
        job.await("every record read and every window's ON_TIME pane", 300, () -> {
          long[] c = job.lastCounts();
          return c[0] >= records && job.offsetsRead() >= records
              && onTime(out.resolve("json")) >= expected.size();
        });
      } finally {
        job.sigterm();
      }
      long[] counts = job.lastCounts();
      assertThat("kafka offsets read: the topic", job.offsetsRead(), is(records));
      assertThat("records read: each once", counts[0], is(records));
      assertThat("records read = parsed + dead letters + too late", counts[1] + counts[2]
          + counts[3], is(records));
      assertThat("too late", counts[3], is(0L));
      List<Candle> latest = ExpectedCandles.latestPanes(ExpectedCandles.readJson(
          out.resolve("json")));
      // the closing records (symbol ZZCLOSE, two days on) are not in the reference
      ExpectedCandles.assertMatches(expected, latest.stream()
          .filter(c -> !c.symbol().equals("ZZCLOSE")).toList());
    }
  }

  /** Windows whose latest pane is ON_TIME or later. */
  private static long onTime(Path json) {
    try {
      return !json.toFile().isDirectory() ? 0 : ExpectedCandles.latestPanes(
          ExpectedCandles.readJson(json)).stream().filter(c -> !c.paneTiming().equals("EARLY"))
          .count();
    } catch (java.io.IOException | java.io.UncheckedIOException e) {
      return 0; // a file moved under the walk: the job is writing
    }
  }
}
