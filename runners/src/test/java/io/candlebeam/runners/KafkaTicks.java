package io.candlebeam.runners;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import io.candlebeam.pipeline.ExpectedCandles;
import io.candlebeam.pipeline.TickProducer;
import io.candlebeam.testdata.ReferenceCandles;
import io.candlebeam.testdata.TickGenerator;
import io.candlebeam.transforms.io.CandleJson;
import io.candlebeam.transforms.kafka.WriteCandlesToKafka;
import io.candlebeam.transforms.model.Candle;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Ticks into a topic and candles out of one, for the tests that run the jar against a broker. */
final class KafkaTicks {
  static final int PARTITIONS = 3;

  private KafkaTicks() {}

  /** 4 symbols x 3 days x 400 ticks in event-time order, with bad lines, into a 3-partition topic. */
  static TickGenerator.DataSet produce(KafkaBroker broker, Path dir, String topic) throws Exception {
    return produce(broker, dir, topic,
        new TickGenerator(77, 4, 3, 400, 1, 101, LocalDate.parse("2024-05-01")).inTimeOrder());
  }

  /** What {@code generator} makes, replayed by the producer command (keyed by symbol). */
  static TickGenerator.DataSet produce(KafkaBroker broker, Path dir, String topic,
      TickGenerator generator) throws Exception {
    broker.createTopic(topic, PARTITIONS);
    TickGenerator.DataSet data = TickGenerator.write(dir.resolve("data"), generator);
    replay(broker, dir.resolve("data/ticks/*.jsonl").toString(), topic);
    return data;
  }

  /** The files of {@code glob} replayed by the producer command (keyed by symbol). */
  static void replay(KafkaBroker broker, String glob, String topic) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = TickProducer.run(new String[] {"--input=" + glob, "--topic=" + topic,
        "--bootstrapServers=" + broker.bootstrapServers()},
        new PrintStream(new ByteArrayOutputStream()), new PrintStream(err));
    assertThat(err.toString(StandardCharsets.UTF_8), code, is(0));
  }

  /** The generator's reference candles of {@code data}, by symbol|date. */
  static Map<String, JsonNode> expected(TickGenerator.DataSet data) {
    return ExpectedCandles.load(String.join("\n", ReferenceCandles.dailyCandles(data.ticks())));
  }

  /** {@code lines} into {@code partition} of {@code topic}, in order, without keys. */
  static void sendTo(KafkaBroker broker, String topic, int partition, List<String> lines)
      throws Exception {
    try (KafkaProducer<String, String> producer = producer(broker)) {
      for (String line : lines) {
        producer.send(new ProducerRecord<>(topic, partition, null, line));
      }
      producer.flush();
    }
  }

  /** One record with {@code key}, to the partition the default partitioner gives the key. */
  static void send(KafkaBroker broker, String topic, String key, String line) throws Exception {
    try (KafkaProducer<String, String> producer = producer(broker)) {
      producer.send(new ProducerRecord<>(topic, key, line)).get();
    }
  }

  private static KafkaProducer<String, String> producer(KafkaBroker broker) {
    Properties p = new Properties();
    p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    return new KafkaProducer<>(p, new StringSerializer(), new StringSerializer());
  }

  /** One tick at {@code eventTime} on every partition: the watermark passes what is before it. */
  static void closeWindows(KafkaBroker broker, String topic, long eventTime) throws Exception {
    try (KafkaProducer<String, String> producer = producer(broker)) {
      for (int partition = 0; partition < PARTITIONS; partition++) {
        producer.send(new ProducerRecord<>(topic, partition, "ZZCLOSE",
            "{\"symbol\":\"ZZCLOSE\",\"event_time\":" + eventTime + ",\"price\":1}")).get();
      }
    }
  }

  /**
   * Every candle record of {@code topic} in partition order, read until 5 polls of a second come
   * back empty; {@code readCommitted}: only what committed transactions wrote, else also what open
   * and aborted ones did. Each key must be its candle's.
   */
  static List<Candle> candles(KafkaBroker broker, String topic, boolean readCommitted) {
    return candles(broker, topic, readCommitted, 5);
  }

  static List<Candle> candles(KafkaBroker broker, String topic, boolean readCommitted,
      int emptyPollsToEnd) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "check-" + System.nanoTime());
    p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, readCommitted ? "read_committed" : "read_uncommitted");
    List<Candle> candles = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of(topic));
      for (int emptyPolls = 0; emptyPolls < emptyPollsToEnd; ) {
        var records = consumer.poll(Duration.ofSeconds(1));
        emptyPolls = records.isEmpty() ? emptyPolls + 1 : 0;
        for (var r : records) {
          Candle c = CandleJson.fromJson(r.value());
          assertThat(r.key(), is(WriteCandlesToKafka.key(c)));
          candles.add(c);
        }
      }
    }
    return candles;
  }

  /** The sum of the end offsets of {@code topic}'s partitions: records plus transaction markers. */
  static long endOffsets(KafkaBroker broker, String topic) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
      List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
          .map(i -> new TopicPartition(topic, i.partition())).toList();
      return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
    }
  }

  /**
   * Asserts one read-log folder per Kafka reader under the SparkRunner's {@code checkpointDir}:
   * for {@link #PARTITIONS} partitions the launcher gives {@code local[2]} one reader and {@code
   * local[4]} three.
   */
  static void assertAReadLogFolderPerReader(Path checkpointDir, String topic, String master) {
    long readers = switch (master) {
      case "local[2]" -> 1L;
      case "local[4]" -> 3L;
      default -> throw new IllegalArgumentException("no reader count known for " + master);
    };
    assertThat("a read log folder per reader",
        filesNamed(checkpointDir.resolve(SparkAdapter.KAFKA_READS), topic + "-"), is(readers));
  }

  /** Files and folders under {@code dir} whose name starts with {@code prefix}. */
  static long filesNamed(Path dir, String prefix) {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(f -> f.getFileName().toString().startsWith(prefix)).count();
    } catch (java.io.IOException | java.io.UncheckedIOException e) {
      return 0; // a file moved under the walk: the next poll sees it
    }
  }
}
