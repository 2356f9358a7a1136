package io.candlebeam.transforms.kafka;

import io.candlebeam.transforms.watermark.PartitionWatermarks;
import java.util.Optional;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.io.kafka.TimestampPolicy;
import org.apache.beam.sdk.io.kafka.TimestampPolicyFactory;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.kafka.common.TopicPartition;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Event time for KafkaIO read from the payload (not Kafka's timestamp), with one clock per
 * partition in the {@link PartitionWatermarks} of the source: each record moves its own
 * partition's clock, and each watermark request tells the clock the partition's backlog (caught up
 * or not). The watermark a reader reports is the model's, not this policy's: {@link
 * KafkaRecordSource} asks the model. What a policy returns is its partition's own watermark, which
 * KafkaIO keeps in the checkpoint, so a restarted reader resumes each partition's clock.
 *
 * <p>A record without a readable event time (malformed: it will become a dead letter) is stamped
 * with its partition's max event time (the Kafka timestamp before any) and does not move the clock.
 */
public final class EventTimeWatermarks implements TimestampPolicyFactory<byte[], byte[]> {
  private final String sourceId;
  private final Duration delay;
  private final Duration idleTimeout;
  private final SerializableFunction<byte[], Long> eventTime;

  /**
   * @param sourceId the id of the source in {@link PartitionWatermarks#of}
   * @param delay how far a partition's watermark trails its max event time
   * @param idleTimeout how long a partition of unknown backlog may stay silent before it is idle
   * @param eventTime event time in epoch ms read from a record's value, or null if it has none
   */
  public EventTimeWatermarks(String sourceId, Duration delay, Duration idleTimeout,
      SerializableFunction<byte[], Long> eventTime) {
    this.sourceId = sourceId;
    this.delay = delay;
    this.idleTimeout = idleTimeout;
    this.eventTime = eventTime;
  }

  PartitionWatermarks model() {
    return PartitionWatermarks.of(sourceId, delay, idleTimeout);
  }

  @Override
  public TimestampPolicy<byte[], byte[]> createTimestampPolicy(
      TopicPartition partition, Optional<Instant> previousWatermark) {
    return new Policy(model().register(partition.toString(), previousWatermark.orElse(null)),
        eventTime);
  }

  private static final class Policy extends TimestampPolicy<byte[], byte[]> {
    private final PartitionWatermarks.Partition clock;
    private final SerializableFunction<byte[], Long> eventTime;

    Policy(PartitionWatermarks.Partition clock, SerializableFunction<byte[], Long> eventTime) {
      this.clock = clock;
      this.eventTime = eventTime;
    }

    @Override
    public Instant getTimestampForRecord(PartitionContext ctx, KafkaRecord<byte[], byte[]> record) {
      byte[] value = record.getKV().getValue();
      Long t = value == null ? null : eventTime.apply(value);
      if (t == null) {
        long max = clock.maxEventTime();
        return new Instant(max == Long.MIN_VALUE ? record.getTimestamp() : max);
      }
      clock.observe(t);
      return new Instant(t);
    }

    @Override
    public Instant getWatermark(PartitionContext ctx) {
      clock.backlog(ctx.getMessageBacklog());
      return clock.watermark();
    }
  }
}
