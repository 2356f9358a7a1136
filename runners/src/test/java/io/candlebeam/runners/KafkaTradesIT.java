package io.candlebeam.runners;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import io.candlebeam.pipeline.ExpectedTradeCandles;
import io.candlebeam.pipeline.TickProducer;
import io.candlebeam.testdata.ReferenceTradeCandles.GeneratedTrade;
import io.candlebeam.testdata.TradeGenerator;
import io.candlebeam.transforms.model.TradeCandle;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The trade job streaming from Kafka on the SparkRunner and the FlinkRunner with the default flags: a two-day trade
 * backlog (bursts, same-millisecond fills, aggTrades, repeated deliveries, malformed lines) over 3
 * partitions keyed by symbol, read from {@code earliest}, three timeframes at once, then one trade
 * two days later on every partition that closes every window. Every bar of every timeframe must be
 * the reference's, each repeat dropped and counted, nothing late.
 */
class KafkaTradesIT {
  private static final String TOPIC = "crypto-trades";

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"SparkRunner", "FlinkRunner"})
  @Timeout(value = 8, unit = TimeUnit.MINUTES)
  void aTradeBacklogGivesTheReferenceBarsOfEveryTimeframe(String runner, @TempDir Path dir)
      throws Exception {
    try (KafkaBroker broker = KafkaBroker.start(dir.resolve("broker"))) {
      broker.createTopic(TOPIC, KafkaTicks.PARTITIONS);
      TradeGenerator.DataSet data = TradeGenerator.write(dir.resolve("data"),
          new TradeGenerator(31, 3, 2, 300, 1, 97, 40, LocalDate.parse("2025-11-03")));
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      int code = TickProducer.run(new String[] {"--input=" + dir.resolve("data/trades/*.jsonl"),
          "--topic=" + TOPIC, "--bootstrapServers=" + broker.bootstrapServers()},
          new PrintStream(new ByteArrayOutputStream()), new PrintStream(err));
      assertThat(err.toString(StandardCharsets.UTF_8), code, is(0));
      long last = data.trades().stream().mapToLong(GeneratedTrade::time).max().orElseThrow();
      closeWindows(broker, last + 2 * 86_400_000L);
      List<String> expected = ExpectedTradeCandles.lines(
          Files.readString(dir.resolve("data/expected/trade-candles.jsonl")));

      Path out = dir.resolve("out");
      List<String> args = new java.util.ArrayList<>(List.of("--runner=" + runner, "--source=kafka", "--topics=" + TOPIC,
          "--bootstrapServers=" + broker.bootstrapServers(), "--startingOffsets=earliest",
          "--streaming", "--checkpointDir=" + dir.resolve("ckpt"), "--sinks=json",
          "--inputFormat=trade", "--timeframes=1m,1h,1d", "--outputDir=" + out));
      if (runner.equals("SparkRunner")) {
        args.add("--sparkMaster=local[2]");
      }
      JobProcess job = JobProcess.start(dir.resolve("job.out"), args);
      job.await(expected.size() + " final bars", 360,
          () -> bars(out.resolve("json")).size() >= expected.size());
      long lines = data.lines() + KafkaTicks.PARTITIONS;
      // Flink's counts come from its REST API, a bundle and a second behind the records
      job.await("the counts of every record", 60, () -> {
        long[] c = job.lastCounts();
        return c[0] == lines && c[1] + c[2] + c[3] == lines;
      });
      assertThat("exit code of the graceful stop", job.sigterm(), is(0));
      long[] counts = job.lastCounts();
      assertThat("records read = every record in the topic", counts[0], is(lines));
      assertThat("too late", counts[3], is(0L));
      assertThat("dead letters", counts[2], is((long) data.malformed()));
      assertThat(Files.readString(dir.resolve("job.out")),
          containsString("duplicates dropped " + data.duplicates() + " "));
      ExpectedTradeCandles.assertMatches(expected, bars(out.resolve("json")));
    }
  }

  /** The bars written so far, without the closing trades' own (never final) bars. */
  private static List<TradeCandle> bars(Path json) {
    try {
      return Files.isDirectory(json) ? ExpectedTradeCandles.readJson(json).stream()
          .filter(c -> !c.symbol().equals("ZZCLOSE")).toList() : List.of();
    } catch (java.io.IOException | java.io.UncheckedIOException e) {
      return List.of(); // a file moved under the walk: the job is writing
    }
  }

  /** One trade at {@code time} on every partition (distinct ids): the watermark passes the rest. */
  private static void closeWindows(KafkaBroker broker, long time) throws Exception {
    java.util.Properties p = new java.util.Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
      for (int partition = 0; partition < KafkaTicks.PARTITIONS; partition++) {
        producer.send(new ProducerRecord<>(TOPIC, partition, "ZZCLOSE",
            "{\"e\":\"trade\",\"s\":\"ZZCLOSE\",\"t\":" + partition + ",\"p\":\"1\",\"q\":\"1\","
                + "\"T\":" + time + ",\"m\":true}")).get();
      }
    }
  }
}
