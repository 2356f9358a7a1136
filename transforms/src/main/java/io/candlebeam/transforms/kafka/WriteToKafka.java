package io.candlebeam.transforms.kafka;

import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Keyed text records to a Kafka topic.
 *
 * <p>Delivery is <b>at least once</b> by default: after a failure, a replayed micro-batch sends
 * its records again (same key, same value). {@link #exactlyOnce} writes through Kafka transactions
 * instead (KafkaIO {@code withEOS}): each record once, visible to {@code read_committed} consumers
 * when the runner's checkpoint commits it. That needs {@code @RequiresStableInput}, which the
 * FlinkRunner (with checkpointing) and the DirectRunner have and Beam's SparkRunner does not.
 */
public final class WriteToKafka extends PTransform<PCollection<KV<String, String>>, PDone> {
  private final String bootstrapServers;
  private final String topic;
  private final Map<String, Object> producerConfig;
  private final String sinkGroupId; // null: at least once

  private WriteToKafka(String bootstrapServers, String topic, Map<String, Object> producerConfig,
      String sinkGroupId) {
    this.bootstrapServers = bootstrapServers;
    this.topic = topic;
    this.producerConfig = new LinkedHashMap<>(producerConfig);
    this.sinkGroupId = sinkGroupId;
  }

  /** At least once, with extra producer settings (security...). */
  public static WriteToKafka topic(String bootstrapServers, String topic,
      Map<String, Object> producerConfig) {
    return new WriteToKafka(bootstrapServers, topic, producerConfig, null);
  }

  /**
   * The same sink, exactly once: KafkaIO keeps the transactional state of its shard under the
   * consumer group {@code sinkGroupId} (keep it stable across restarts of the job).
   */
  public WriteToKafka exactlyOnce(String sinkGroupId) {
    return new WriteToKafka(bootstrapServers, topic, producerConfig, sinkGroupId);
  }

  @Override
  public PDone expand(PCollection<KV<String, String>> records) {
    KafkaIO.Write<String, String> write = KafkaIO.<String, String>write()
        .withBootstrapServers(bootstrapServers)
        .withTopic(topic)
        .withKeySerializer(StringSerializer.class)
        .withValueSerializer(StringSerializer.class)
        .withProducerConfigUpdates(producerConfig);
    return records.apply(sinkGroupId == null ? write : write.withEOS(1, sinkGroupId));
  }
}
