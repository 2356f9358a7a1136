package io.candlebeam.transforms.kafka;

import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import io.candlebeam.transforms.window.ObservedWatermark;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.io.kafka.TimestampPolicy;
import org.apache.beam.sdk.io.kafka.TimestampPolicyFactory;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.kafka.common.TopicPartition;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Spark's {@code withWatermark} for KafkaIO: event time is read from the payload (not Kafka's
 * timestamp), and the watermark is the <b>maximum event time seen, minus a delay</b>.
 *
 * <p>"Seen" is across all partitions read in this JVM, not per partition: so an idle partition (or
 * one that has not received anything yet) never holds the watermark back, exactly as in Spark,
 * whose watermark is a global max. The flip side, also as in Spark: ticks of a partition that lags
 * the others by more than the delay are behind the watermark, and are dropped if they are also past
 * the allowed lateness. Beam's SparkRunner adds its own max over source splits (apache/beam#19411),
 * which gives the same global max across executors. So: set {@code --watermarkDelay} (and {@code
 * --allowedLateness}) larger than the lag you expect between partitions.
 *
 * <p>A record without a readable event time (malformed: it will become a dead letter) is stamped
 * with the current maximum and does not move the watermark. After a restart the watermark resumes
 * from the checkpointed one, never going back.
 */
public final class EventTimeWatermarks
    implements TimestampPolicyFactory<byte[], byte[]> {
  private static final Map<String, AtomicLong> MAX_SEEN = new ConcurrentHashMap<>();

  private final String id = UUID.randomUUID().toString();
  private final Duration delay;
  private final SerializableFunction<byte[], Long> eventTime;
  private final ObservedWatermark observed;

  /**
   * @param delay how far the watermark trails the max event time (Spark's watermark delay)
   * @param eventTime event time in epoch ms read from a record's value, or null if it has none
   * @param observed where every watermark handed to the runner is also reported
   */
  public EventTimeWatermarks(Duration delay, SerializableFunction<byte[], Long> eventTime,
      ObservedWatermark observed) {
    this.delay = delay;
    this.eventTime = eventTime;
    this.observed = observed;
  }

  @Override
  public TimestampPolicy<byte[], byte[]> createTimestampPolicy(
      TopicPartition partition, Optional<Instant> previousWatermark) {
    AtomicLong max = MAX_SEEN.computeIfAbsent(id, k -> new AtomicLong(Long.MIN_VALUE));
    previousWatermark.ifPresent(w -> max.accumulateAndGet(w.getMillis() + delay.getMillis(), Math::max));
    return new Policy(max, delay, eventTime, observed);
  }

  private static final class Policy extends TimestampPolicy<byte[], byte[]> {
    private final AtomicLong max;
    private final Duration delay;
    private final SerializableFunction<byte[], Long> eventTime;
    private final ObservedWatermark observed;
    private Instant watermark = BoundedWindow.TIMESTAMP_MIN_VALUE;

    Policy(AtomicLong max, Duration delay, SerializableFunction<byte[], Long> eventTime,
        ObservedWatermark observed) {
      this.max = max;
      this.delay = delay;
      this.eventTime = eventTime;
      this.observed = observed;
    }

    @Override
    public Instant getTimestampForRecord(PartitionContext ctx, KafkaRecord<byte[], byte[]> record) {
      observed.reading();
      Long t = record.getKV().getValue() == null ? null : eventTime.apply(record.getKV().getValue());
      if (t == null) {
        long m = max.get();
        return m == Long.MIN_VALUE ? new Instant(record.getTimestamp()) : new Instant(m);
      }
      max.accumulateAndGet(t, Math::max);
      return new Instant(t);
    }

    @Override
    public Instant getWatermark(PartitionContext ctx) {
      long m = max.get();
      if (m != Long.MIN_VALUE) {
        Instant candidate = new Instant(m).minus(delay);
        if (candidate.isAfter(watermark)) {
          watermark = candidate;
        }
      }
      return observed.report(watermark);
    }
  }
}
