package io.candlebeam.transforms.kafka;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import io.candlebeam.transforms.parse.TickParser;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.UUID;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.io.kafka.KafkaTimestampType;
import org.apache.beam.sdk.io.kafka.TimestampPolicy;
import org.apache.beam.sdk.io.kafka.TimestampPolicy.PartitionContext;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.kafka.common.TopicPartition;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

/** KafkaIO's timestamp policy: event time from the payload, one clock per partition. */
class EventTimeWatermarksTest {
  private static final Instant TEN = Instant.parse("2024-03-01T10:00:00Z");
  private static final Duration HOUR = Duration.standardHours(1);

  private static PartitionContext backlog(long messages) {
    return new PartitionContext() {
      @Override
      public long getMessageBacklog() {
        return messages;
      }

      @Override
      public Instant getBacklogCheckTime() {
        return Instant.now();
      }
    };
  }

  private static KafkaRecord<byte[], byte[]> record(int partition, String json) {
    return new KafkaRecord<>("t", partition, 0, 1L, KafkaTimestampType.CREATE_TIME, null,
        null, json.getBytes(StandardCharsets.UTF_8));
  }

  private static String tick(Instant t) {
    return "{\"symbol\":\"BTC\",\"event_time\":" + t.getMillis() + ",\"price\":1}";
  }

  private static EventTimeWatermarks factory() {
    return new EventTimeWatermarks(UUID.randomUUID().toString(), HOUR, Duration.standardMinutes(1),
        TickParser::eventTimeOf);
  }

  @Test
  void eachPartitionKeepsItsOwnClockAndTheSourceTakesTheMinimumOverThoseWithDataLeft() {
    EventTimeWatermarks factory = factory();
    TimestampPolicy<byte[], byte[]> p0 =
        factory.createTimestampPolicy(new TopicPartition("t", 0), Optional.empty());
    TimestampPolicy<byte[], byte[]> p1 =
        factory.createTimestampPolicy(new TopicPartition("t", 1), Optional.empty());
    assertThat(p0.getWatermark(backlog(10)), is(BoundedWindow.TIMESTAMP_MIN_VALUE));
    // A tick at 10:00 on partition 0 moves its own clock only; partition 1 (unread, backlog)
    // holds the source's watermark back.
    assertThat(p0.getTimestampForRecord(backlog(10), record(0, tick(TEN))), is(TEN));
    assertThat(p0.getWatermark(backlog(9)), is(TEN.minus(HOUR)));
    assertThat(p1.getWatermark(backlog(10)), is(BoundedWindow.TIMESTAMP_MIN_VALUE));
    assertThat(factory.model().watermark(), is(BoundedWindow.TIMESTAMP_MIN_VALUE));
    // Partition 1 reads a tick at 08:00 and is then caught up: partition 0 alone holds it.
    assertThat(p1.getTimestampForRecord(backlog(1), record(1, tick(TEN.minus(HOUR).minus(HOUR)))),
        is(TEN.minus(HOUR).minus(HOUR)));
    assertThat(factory.model().watermark(), is(TEN.minus(HOUR).minus(HOUR).minus(HOUR)));
    p1.getWatermark(backlog(0));
    assertThat(factory.model().watermark(), is(TEN.minus(HOUR)));
  }

  @Test
  void malformedRecordsDoNotMoveTheClock() {
    TimestampPolicy<byte[], byte[]> p =
        factory().createTimestampPolicy(new TopicPartition("t", 0), Optional.empty());
    // Before any event time: a malformed record gets Kafka's timestamp (1 ms here).
    assertThat(p.getTimestampForRecord(backlog(3), record(0, "not json")), is(new Instant(1L)));
    p.getTimestampForRecord(backlog(2), record(0, tick(TEN)));
    // Garbage and a tick dated in seconds, not ms: stamped with the partition's max, clock kept.
    assertThat(p.getTimestampForRecord(backlog(1), record(0, "not json")), is(TEN));
    assertThat(p.getTimestampForRecord(backlog(0), record(0,
        "{\"symbol\":\"BTC\",\"event_time\":1709287200,\"price\":1}")), is(TEN));
    assertThat(p.getWatermark(backlog(0)), is(TEN.minus(HOUR)));
  }

  @Test
  void aRestartResumesFromTheCheckpointedWatermark() {
    // A fresh factory after a restart: the checkpointed watermark (09:00) is where it resumes.
    TimestampPolicy<byte[], byte[]> p = factory().createTimestampPolicy(
        new TopicPartition("t", 0), Optional.of(TEN.minus(HOUR)));
    assertThat(p.getWatermark(backlog(5)), is(TEN.minus(HOUR)));
    // An earlier tick after the restart does not move it back.
    p.getTimestampForRecord(backlog(5), record(0, tick(TEN.minus(Duration.standardHours(5)))));
    assertThat(p.getWatermark(backlog(4)), is(TEN.minus(HOUR)));
  }
}
