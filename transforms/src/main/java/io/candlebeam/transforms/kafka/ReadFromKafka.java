package io.candlebeam.transforms.kafka;

import io.candlebeam.transforms.io.ReadLinesFromFiles;
import io.candlebeam.transforms.model.RawRecord;
import io.candlebeam.transforms.watermark.PartitionWatermarks;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.beam.sdk.io.Read;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.io.kafka.KafkaSourceAccess;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;

/**
 * Reads Kafka records as {@link RawRecord}s: the value as the payload (UTF-8), origin {@code
 * topic/partition@offset}, and metadata {@code kafka.key}, {@code kafka.topic}, {@code
 * kafka.partition}, {@code kafka.offset}, {@code kafka.timestamp} and one {@code header.<name>} per
 * header (bytes as UTF-8). Element timestamps are event times read from the value; the watermark
 * is per partition and combined over partitions as {@link PartitionWatermarks} describes. Unbounded;
 * KafkaIO's UnboundedSource (the SparkRunner cannot run the splittable-DoFn reader in streaming
 * mode), wrapped by {@link KafkaRecordSource}.
 *
 * <pre>{@code
 * ReadFromKafka.of("localhost:9092", List.of("crypto-prices"))
 *     .withEventTime(TickParser::eventTimeOf)
 *     .withWatermarkDelay(Duration.standardHours(1))
 *     .withReaders(1)
 * }</pre>
 */
public final class ReadFromKafka extends PTransform<PBegin, PCollection<RawRecord>> {
  /** Gauge prefix: the offset a fresh run started at, per {@code <topic-partition>}. */
  public static final String START_OFFSET = "kafka_start_offset|";
  /** Gauge prefix: the next offset at the reader's last checkpoint, per {@code <topic-partition>}. */
  public static final String POSITION = "kafka_position|";
  /**
   * Reads of a split the read log keeps ({@link #withReadLog}): a restart after a crash must not
   * go back further than this (on Spark, to the last state checkpoint).
   */
  public static final int READS_LOGGED = ReadLog.KEEP;
  /**
   * Consumer settings this source changes from Kafka's defaults; a setting given to {@link
   * #withConsumerConfig} wins. {@code fetch.max.wait.ms} 50 instead of 500: a consumer keeps one
   * fetch in flight per broker and asks in it only for partitions it holds no fetched records of,
   * so once some of its partitions are caught up the broker holds every fetch up to this long. At
   * 500 ms a reader of several partitions read the rest of a skewed backlog at one fetch (1 MB a
   * partition) per 500 ms, about 7,000 ticks/s (docs/kafka.md).
   */
  public static final Map<String, Object> CONSUMER_DEFAULTS = Map.of("fetch.max.wait.ms", 50);
  private final String bootstrapServers;
  private final List<String> topics;
  private final Map<String, Object> consumerConfig;
  private final Duration watermarkDelay;
  private final Duration idleTimeout;
  private final SerializableFunction<byte[], Long> eventTime;
  private final int readers;
  private final @Nullable String readLog;

  private ReadFromKafka(String bootstrapServers, List<String> topics,
      Map<String, Object> consumerConfig, Duration watermarkDelay, Duration idleTimeout,
      SerializableFunction<byte[], Long> eventTime, int readers, @Nullable String readLog) {
    this.bootstrapServers = bootstrapServers;
    this.topics = List.copyOf(topics);
    this.consumerConfig = new LinkedHashMap<>(consumerConfig);
    this.watermarkDelay = watermarkDelay;
    this.idleTimeout = idleTimeout;
    this.eventTime = eventTime;
    this.readers = readers;
    this.readLog = readLog;
  }

  /**
   * {@code topics} from {@code bootstrapServers}: 1 h watermark delay, 1 min idle timeout, no
   * event time (Kafka's timestamp; set one with {@link #withEventTime}), as many readers as the
   * runner asks for.
   */
  public static ReadFromKafka of(String bootstrapServers, List<String> topics) {
    return new ReadFromKafka(bootstrapServers, topics, Map.of(), Duration.standardHours(1),
        Duration.standardMinutes(1), v -> null, 0, null);
  }

  /** Extra consumer settings (auto.offset.reset, group.id, security, SASL...). */
  public ReadFromKafka withConsumerConfig(Map<String, Object> config) {
    return new ReadFromKafka(bootstrapServers, topics, config, watermarkDelay, idleTimeout,
        eventTime, readers, readLog);
  }

  /** Event time (epoch ms) of a record value, or null if it has none. */
  public ReadFromKafka withEventTime(SerializableFunction<byte[], Long> fn) {
    return new ReadFromKafka(bootstrapServers, topics, consumerConfig, watermarkDelay, idleTimeout,
        fn, readers, readLog);
  }

  /** How far a partition's watermark trails the highest event time read from it. */
  public ReadFromKafka withWatermarkDelay(Duration delay) {
    return new ReadFromKafka(bootstrapServers, topics, consumerConfig, delay, idleTimeout,
        eventTime, readers, readLog);
  }

  /** How long a partition whose backlog is unknown may stay silent before it stops holding time. */
  public ReadFromKafka withIdleTimeout(Duration timeout) {
    return new ReadFromKafka(bootstrapServers, topics, consumerConfig, watermarkDelay, timeout,
        eventTime, readers, readLog);
  }

  /** At most {@code n} readers (splits); 0: as many as the runner asks for. */
  public ReadFromKafka withReaders(int n) {
    return new ReadFromKafka(bootstrapServers, topics, consumerConfig, watermarkDelay, idleTimeout,
        eventTime, n, readLog);
  }

  /**
   * Logs where each read of a split ended in {@code dir} (a local or mounted folder), and reads no
   * further when a read is done again ({@link ReadLog}): for Beam's Spark source, which reads the
   * micro-batches since its last state checkpoint again after a crash; the last {@link
   * #READS_LOGGED} reads of each split. Null: not logged.
   */
  public ReadFromKafka withReadLog(@Nullable String dir) {
    return new ReadFromKafka(bootstrapServers, topics, consumerConfig, watermarkDelay, idleTimeout,
        eventTime, readers, dir);
  }

  @Override
  public PCollection<RawRecord> expand(PBegin begin) {
    KafkaIO.Read<byte[], byte[]> read = KafkaIO.<byte[], byte[]>read()
        .withBootstrapServers(bootstrapServers)
        .withTopics(topics)
        .withKeyDeserializer(ByteArrayDeserializer.class)
        .withValueDeserializer(ByteArrayDeserializer.class)
        .withConsumerConfigUpdates(consumerSettings());
    EventTimeWatermarks watermarks = new EventTimeWatermarks(UUID.randomUUID().toString(),
        watermarkDelay, idleTimeout, eventTime);
    return begin
        .apply("ReadKafka", Read.from(new KafkaRecordSource(
            KafkaSourceAccess.unboundedSource(read.withTimestampPolicyFactory(watermarks)),
            watermarks, readers, null,
            readLog == null ? null : new ReadLog(readLog), "all")))
        .apply("CountRecords", ParDo.of(new CountRecords()));
  }

  /** The consumer's settings: {@link #CONSUMER_DEFAULTS} under those given. */
  Map<String, Object> consumerSettings() {
    Map<String, Object> settings = new LinkedHashMap<>(CONSUMER_DEFAULTS);
    settings.putAll(consumerConfig);
    return settings;
  }

  private static final class CountRecords extends DoFn<RawRecord, RawRecord> {
    private final Counter read = Metrics.counter("candlebeam", ReadLinesFromFiles.RECORDS_READ);

    @ProcessElement
    public void process(@Element RawRecord r, OutputReceiver<RawRecord> out) {
      read.inc();
      out.output(r);
    }
  }
}
