package io.candlebeam.transforms.kafka;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import io.candlebeam.transforms.parse.TickParser;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import io.candlebeam.transforms.window.ObservedWatermark;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.io.kafka.KafkaTimestampType;
import org.apache.beam.sdk.io.kafka.TimestampPolicy;
import org.apache.beam.sdk.io.kafka.TimestampPolicy.PartitionContext;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.kafka.common.TopicPartition;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

/** The Kafka watermark: max event time seen across partitions, minus the delay. */
class EventTimeWatermarksTest {
  private static final Instant TEN = Instant.parse("2024-03-01T10:00:00Z");
  private static final Duration HOUR = Duration.standardHours(1);
  private static final PartitionContext CONTEXT = new PartitionContext() {
    @Override
    public long getMessageBacklog() {
      return 0;
    }

    @Override
    public Instant getBacklogCheckTime() {
      return Instant.now();
    }
  };

  private static KafkaRecord<byte[], byte[]> record(int partition, String json) {
    return new KafkaRecord<>("t", partition, 0, 1L, KafkaTimestampType.CREATE_TIME, null,
        null, json.getBytes(StandardCharsets.UTF_8));
  }

  private static String tick(Instant t) {
    return "{\"symbol\":\"BTC\",\"event_time\":" + t.getMillis() + ",\"price\":1}";
  }

  @Test
  void watermarkIsMaxEventTimeMinusDelayAndIdlePartitionsDoNotHoldItBack() {
    ObservedWatermark observed = ObservedWatermark.create();
    EventTimeWatermarks factory = new EventTimeWatermarks(HOUR, TickParser::eventTimeOf, observed);
    TimestampPolicy<byte[], byte[]> p0 = factory.createTimestampPolicy(new TopicPartition("t", 0), Optional.empty());
    TimestampPolicy<byte[], byte[]> p1 = factory.createTimestampPolicy(new TopicPartition("t", 1), Optional.empty());
    // Nothing seen yet: no watermark.
    assertThat(p0.getWatermark(CONTEXT), is(BoundedWindow.TIMESTAMP_MIN_VALUE));
    // A tick at 10:00 on partition 0 stamps its event time and moves both partitions to 09:00:
    // partition 1, idle, does not hold the watermark back.
    assertThat(p0.getTimestampForRecord(CONTEXT, record(0, tick(TEN))), is(TEN));
    assertThat(p0.getWatermark(CONTEXT), is(TEN.minus(HOUR)));
    assertThat(p1.getWatermark(CONTEXT), is(TEN.minus(HOUR)));
    // An older tick on partition 1 keeps its own event time and does not move the watermark back.
    Instant nine = TEN.minus(HOUR);
    assertThat(p1.getTimestampForRecord(CONTEXT, record(1, tick(nine))), is(nine));
    assertThat(p1.getWatermark(CONTEXT), is(TEN.minus(HOUR)));
    // What the runner was handed is what the late-data check downstream sees.
    assertThat(observed.current(), is(TEN.minus(HOUR)));
  }

  @Test
  void malformedRecordsDoNotMoveTheWatermark() {
    EventTimeWatermarks factory = new EventTimeWatermarks(HOUR, TickParser::eventTimeOf, ObservedWatermark.none());
    TimestampPolicy<byte[], byte[]> p = factory.createTimestampPolicy(new TopicPartition("t", 0), Optional.empty());
    p.getTimestampForRecord(CONTEXT, record(0, tick(TEN)));
    // Garbage and a tick dated in seconds, not ms: stamped with the current max, watermark kept.
    assertThat(p.getTimestampForRecord(CONTEXT, record(0, "not json")), is(TEN));
    assertThat(p.getTimestampForRecord(CONTEXT, record(0,
        "{\"symbol\":\"BTC\",\"event_time\":1709287200,\"price\":1}")), is(TEN));
    assertThat(p.getWatermark(CONTEXT), is(TEN.minus(HOUR)));
  }

  @Test
  void aRestartResumesFromTheCheckpointedWatermark() {
    // A fresh factory after a restart: the checkpointed watermark (09:00) is where it resumes.
    EventTimeWatermarks factory = new EventTimeWatermarks(HOUR, TickParser::eventTimeOf, ObservedWatermark.none());
    TimestampPolicy<byte[], byte[]> p = factory.createTimestampPolicy(
        new TopicPartition("t", 0), Optional.of(TEN.minus(HOUR)));
    assertThat(p.getWatermark(CONTEXT), is(TEN.minus(HOUR)));
    // An earlier tick after the restart does not move it back.
    p.getTimestampForRecord(CONTEXT, record(0, tick(TEN.minus(Duration.standardHours(5)))));
    assertThat(p.getWatermark(CONTEXT), is(TEN.minus(HOUR)));
  }
}
