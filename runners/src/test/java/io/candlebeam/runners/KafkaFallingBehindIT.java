package io.candlebeam.runners;

import static org.hamcrest.MatcherAssert.assertThat;
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
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A live feed the job cannot keep up with for a while: the SparkRunner streaming job runs with
 * 250 ms micro-batches (too short for 2 cores, so batches queue up) while the feed arrives as fast
 * as the producer can send it. Every record must be read exactly once into the candles: the
 * reference candles, the Kafka offsets read = the records in the topic, nothing late. (The same
 * data with the default flags, as a backlog: {@code KafkaBacklogIT}.)
 */
class KafkaFallingBehindIT {
  private static final String TOPIC = "fast-feed";

  @Test
  @Timeout(value = 8, unit = TimeUnit.MINUTES)
  void aFeedFasterThanTheBatchesIsReadExactlyOnce(@TempDir Path dir) throws Exception {
    try (KafkaBroker broker = KafkaBroker.start(dir.resolve("broker"))) {
      broker.createTopic(TOPIC, KafkaTicks.PARTITIONS);
      TickGenerator.DataSet data = TickGenerator.write(dir.resolve("data"),
          new TickGenerator(23, 4, 3, 3_000, 1, 97, LocalDate.parse("2025-09-01")).inTimeOrder());
      Path out = dir.resolve("out");
      JobProcess job = JobProcess.start(dir.resolve("job.out"), List.of("--runner=SparkRunner",
          "--sparkMaster=local[2]", "--source=kafka", "--topics=" + TOPIC,
          "--bootstrapServers=" + broker.bootstrapServers(), "--startingOffsets=earliest",
          "--streaming", "--checkpointDir=" + dir.resolve("ckpt"), "--sinks=json",
          "--batchIntervalMillis=250", "--reportIntervalSeconds=1", "--outputDir=" + out));
      job.await("the job running", 120, () -> job.recordsRead() >= 0);
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int code = TickProducer.run(new String[] {"--input=" + dir.resolve("data/ticks/*.jsonl"),
          "--topic=" + TOPIC, "--bootstrapServers=" + broker.bootstrapServers()},
          new PrintStream(new ByteArrayOutputStream()), new PrintStream(err));
      assertThat(err.toString(), code, is(0));
      long last = data.ticks().stream().mapToLong(ReferenceCandles.GeneratedTick::eventTime).max()
          .orElseThrow();
      KafkaTicks.closeWindows(broker, TOPIC, last + 2 * 86_400_000L);
      Map<String, JsonNode> expected = KafkaTicks.expected(data);
      job.await("an ON_TIME candle for every symbol and day", 300,
          () -> onTime(out.resolve("json")) >= expected.size());
      job.sigterm();

      long records = data.lines() + KafkaTicks.PARTITIONS;
      long[] counts = job.lastCounts();
      assertThat("kafka offsets read: every record once", job.offsetsRead(), is(records));
      assertThat("records read", counts[0], is(records));
      assertThat("too late", counts[3], is(0L));
      // The feed was read over several micro-batches (counts in between, one report a second).
      java.util.regex.Matcher m = java.util.regex.Pattern.compile("records read (\\d+) =")
          .matcher(Files.readString(dir.resolve("job.out")));
      java.util.Set<Long> between = new java.util.TreeSet<>();
      while (m.find()) {
        long n = Long.parseLong(m.group(1));
        if (n > 0 && n < data.lines()) {
          between.add(n);
        }
      }
      assertThat("counts while the feed was being read: " + between, between.size() >= 2, is(true));
      List<Candle> candles = ExpectedCandles.readJson(out.resolve("json"));
      assertThat(candles.stream().filter(c -> !c.paneTiming().equals("ON_TIME")).toList(), empty());
      assertThat("one file per candle", candles.size(), is(expected.size()));
      ExpectedCandles.assertMatches(expected, candles);
    }
  }

  private static long onTime(Path json) {
    try {
      return Files.isDirectory(json) ? ExpectedCandles.readJson(json).stream()
          .filter(c -> c.paneTiming().equals("ON_TIME")).count() : 0;
    } catch (java.io.IOException | java.io.UncheckedIOException e) {
      return 0; // a file moved under the walk: the job is writing
    }
  }
}
