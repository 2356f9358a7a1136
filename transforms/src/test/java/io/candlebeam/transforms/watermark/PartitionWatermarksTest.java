package io.candlebeam.transforms.watermark;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import java.util.concurrent.atomic.AtomicLong;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The watermark of a partitioned source: min over partitions with data left, caught-up and idle
 * ones left out, max over all once every partition is caught up or idle.
 */
class PartitionWatermarksTest {
  private static final Instant DAY1 = Instant.parse("2025-03-08T00:00:00Z");
  private static final Duration HOUR = Duration.standardHours(1);
  private static final Duration DAY = Duration.standardDays(1);
  private static final Duration IDLE = Duration.standardMinutes(1);

  /** Processing time of the model, moved by hand. */
  private final AtomicLong now = new AtomicLong(1_000_000);
  private final PartitionWatermarks model = new PartitionWatermarks(HOUR, IDLE, now::get);

  @Test
  void theWatermarkIsTheSlowestPartitionWithDataLeftNotTheFastest() {
    PartitionWatermarks.Partition fast = model.register("t-0", null);
    PartitionWatermarks.Partition slow = model.register("t-1", null);
    fast.backlog(5_000);
    slow.backlog(5_000);
    // A backlog read at different speeds: partition 0 is three days ahead of partition 1.
    fast.observe(DAY1.plus(DAY.multipliedBy(3)).getMillis());
    slow.observe(DAY1.plus(Duration.standardMinutes(10)).getMillis());
    // Spark's global max would be day 4, 23:00 and make every tick of partition 1 late.
    assertThat(model.watermark(), is(DAY1.plus(Duration.standardMinutes(10)).minus(HOUR)));
    assertThat(fast.watermark(), is(DAY1.plus(DAY.multipliedBy(3)).minus(HOUR)));
  }

  @Test
  void aPartitionNotReadYetHoldsTheWatermarkAtTheBeginningOfTime() {
    model.expect("t-0");
    PartitionWatermarks.Partition p1 = model.register("t-1", null);
    p1.backlog(10);
    p1.observe(DAY1.getMillis());
    // t-0's reader has not started (another split): nothing may close yet.
    assertThat(model.watermark(), is(BoundedWindow.TIMESTAMP_MIN_VALUE));
    // Its reader registers and reads; expecting it again (another reader starting) changes nothing.
    PartitionWatermarks.Partition p0 = model.register("t-0", null);
    model.expect("t-0");
    p0.backlog(10);
    p0.observe(DAY1.plus(HOUR).getMillis());
    assertThat(model.watermark(), is(DAY1.minus(HOUR)));
  }

  @Test
  void aCaughtUpPartitionDoesNotHoldTheOthersBack() {
    PartitionWatermarks.Partition done = model.register("t-0", null);
    PartitionWatermarks.Partition busy = model.register("t-1", null);
    done.observe(DAY1.getMillis());
    busy.observe(DAY1.plus(DAY).getMillis());
    done.backlog(3);
    busy.backlog(3);
    assertThat(model.watermark(), is(DAY1.minus(HOUR)));
    // Partition 0 reached its end offset: only partition 1 has data left.
    done.backlog(0);
    assertThat(model.watermark(), is(DAY1.plus(DAY).minus(HOUR)));
    // New data on partition 0 (backlog again): it holds the watermark again, which does not go
    // back below what partition 0 had read (its own clock never goes back).
    done.backlog(1);
    assertThat(model.watermark(), is(DAY1.minus(HOUR)));
  }

  @Test
  void whenEveryPartitionIsCaughtUpTheWatermarkIsTheMaxSoTheLastWindowsClose() {
    PartitionWatermarks.Partition p0 = model.register("t-0", null);
    PartitionWatermarks.Partition p1 = model.register("t-1", null);
    PartitionWatermarks.Partition empty = model.register("t-2", null);
    p0.observe(DAY1.getMillis());
    p1.observe(DAY1.plus(DAY.multipliedBy(3)).getMillis()); // the tick that closes every window
    p0.backlog(0);
    p1.backlog(0);
    empty.backlog(0); // a partition with no data at all
    assertThat(model.watermark(), is(DAY1.plus(DAY.multipliedBy(3)).minus(HOUR)));
  }

  @Test
  void aPartitionOfUnknownBacklogIsIdleOnlyAfterTheTimeoutWithoutRecords() {
    PartitionWatermarks.Partition quiet = model.register("t-0", null);
    PartitionWatermarks.Partition busy = model.register("t-1", null);
    quiet.observe(DAY1.getMillis());
    busy.observe(DAY1.plus(DAY).getMillis());
    busy.backlog(100);
    // Backlog unknown (no end offset fetched): partition 0 holds the watermark for a minute.
    now.addAndGet(IDLE.getMillis() - 1);
    assertThat(model.watermark(), is(DAY1.minus(HOUR)));
    now.addAndGet(1);
    assertThat(model.watermark(), is(DAY1.plus(DAY).minus(HOUR)));
    // A record on it: active again.
    quiet.observe(DAY1.plus(HOUR).getMillis());
    assertThat(model.watermark(), is(DAY1));
  }

  @Test
  void aPartitionWithDataLeftIsNeverIdleHoweverLongItWaitsToBeRead() {
    PartitionWatermarks.Partition waiting = model.register("t-0", null);
    PartitionWatermarks.Partition busy = model.register("t-1", null);
    waiting.observe(DAY1.getMillis());
    waiting.backlog(1_000);
    busy.observe(DAY1.plus(DAY).getMillis());
    busy.backlog(1_000);
    now.addAndGet(IDLE.multipliedBy(10).getMillis());
    assertThat(model.watermark(), is(DAY1.minus(HOUR)));
  }

  @Test
  void aRestartedReaderResumesEachPartitionFromItsCheckpointedWatermark() {
    // Checkpointed: partition 0 at day 2 00:00, partition 1 at day 1 12:00 (own watermarks).
    PartitionWatermarks.Partition p0 = model.register("t-0", DAY1.plus(DAY));
    PartitionWatermarks.Partition p1 = model.register("t-1", DAY1.plus(Duration.standardHours(12)));
    assertThat(model.watermark(), is(DAY1.plus(Duration.standardHours(12))));
    // An older tick after the restart does not move a partition back.
    p1.observe(DAY1.getMillis());
    assertThat(p1.watermark(), is(DAY1.plus(Duration.standardHours(12))));
    assertThat(p0.maxEventTime(), is(DAY1.plus(DAY).plus(HOUR).getMillis()));
    // A re-created reader replaces the partition's clock with its own.
    model.register("t-1", DAY1.plus(DAY));
    assertThat(model.watermark(), is(DAY1.plus(DAY)));
  }

  @Test
  void sourcesOfTheSameIdShareOneModelPerJvm() {
    PartitionWatermarks a = PartitionWatermarks.of("shared-id", HOUR, IDLE);
    assertThat(PartitionWatermarks.of("shared-id", HOUR, IDLE) == a, is(true));
    assertThat(PartitionWatermarks.of("other-id", HOUR, IDLE) == a, is(false));
  }
}
