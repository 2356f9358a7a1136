package io.candlebeam.transforms.watermark;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * The event-time watermark of one partitioned source (Kafka) in this JVM, in Flink's and Kafka
 * Streams' model rather than Spark's global max:
 *
 * <ul>
 *   <li>a partition's watermark is the highest event time read from it minus the delay;
 *   <li>the source's watermark is the <b>minimum over the partitions that still have data to
 *       read</b>, so a partition that is read faster than another (a backlog, a skewed topic)
 *       never makes the slower one's ticks late;
 *   <li>a partition does not hold it back when it is <b>caught up</b> (its reader has reached the
 *       end offset last fetched: nothing to read) or <b>idle</b> (its backlog is unknown and no
 *       record came for the idle timeout; Flink's {@code withIdleness}). A partition with data
 *       left is never idle, however long it waits to be read;
 *   <li>when every partition is caught up or idle, it is the maximum over all of them (as Flink's
 *       watermark valve does when every input is idle), so the last windows of a drained backlog
 *       close.
 * </ul>
 *
 * <p>One instance per source id and JVM ({@link #of}): the readers of every split of the source
 * that run in this JVM register their partitions here, so each reports the watermark of all of
 * them. Before its reader exists a partition is only {@linkplain #expect expected}, at the
 * beginning of time: it holds the watermark back until it is read (or idle for the timeout).
 * Readers never deregister (a reader closed by a runner is usually re-created from its checkpoint
 * at once, and a partition that left would otherwise let the watermark jump); a re-created reader
 * replaces its partitions' entries. On a cluster each JVM sees only the partitions read in it,
 * which is why the SparkRunner reads a topic with one reader there.
 */
public final class PartitionWatermarks {
  /** A backlog the reader could not tell (no end offset fetched yet). */
  public static final long UNKNOWN_BACKLOG = -1;
  private static final long NONE = Long.MIN_VALUE;
  private static final Map<String, PartitionWatermarks> SOURCES = new ConcurrentHashMap<>();

  private final Duration delay;
  private final Duration idleTimeout;
  private final LongSupplier clockMillis;
  private final Map<String, Partition> partitions = new ConcurrentHashMap<>();

  /** A model on its own (tests, or one reader); {@code clockMillis} is processing time. */
  public PartitionWatermarks(Duration delay, Duration idleTimeout, LongSupplier clockMillis) {
    this.delay = delay;
    this.idleTimeout = idleTimeout;
    this.clockMillis = clockMillis;
  }

  /** This JVM's model of the source {@code sourceId} (created on first use). */
  public static PartitionWatermarks of(String sourceId, Duration delay, Duration idleTimeout) {
    return SOURCES.computeIfAbsent(sourceId,
        id -> new PartitionWatermarks(delay, idleTimeout, System::currentTimeMillis));
  }

  /** {@code name} will be read: until it is registered it holds the watermark back. */
  public void expect(String name) {
    partitions.computeIfAbsent(name, n -> new Partition(NONE));
  }

  /**
   * The clock of partition {@code name} for its (new) reader, resumed from the watermark {@code
   * restored} from a checkpoint (null: from the beginning); replaces an earlier reader's.
   */
  public Partition register(String name, @Nullable Instant restored) {
    long max = restored == null || !restored.isAfter(BoundedWindow.TIMESTAMP_MIN_VALUE) ? NONE
        : restored.getMillis() + delay.getMillis();
    Partition p = new Partition(max);
    partitions.put(name, p);
    return p;
  }

  /** The source's watermark now: min over partitions with data left, else max over all. */
  public Instant watermark() {
    long now = clockMillis.getAsLong();
    long minActive = Long.MAX_VALUE;
    long maxAll = NONE;
    boolean anyActive = false;
    for (Partition p : partitions.values()) {
      long w = p.watermarkMillis();
      maxAll = Math.max(maxAll, w);
      if (!p.idle(now)) {
        anyActive = true;
        minActive = Math.min(minActive, w);
      }
    }
    return instant(anyActive ? minActive : maxAll);
  }

  private static Instant instant(long millis) {
    return millis <= BoundedWindow.TIMESTAMP_MIN_VALUE.getMillis()
        ? BoundedWindow.TIMESTAMP_MIN_VALUE : new Instant(millis);
  }

  /** One partition's clock, written by its reader. */
  public final class Partition {
    private final AtomicLong maxEventTime;
    private volatile long backlog = UNKNOWN_BACKLOG;
    private volatile long lastActivity = clockMillis.getAsLong();

    private Partition(long maxEventTime) {
      this.maxEventTime = new AtomicLong(maxEventTime);
    }

    /** A record with event time {@code eventTimeMillis} was read. */
    public void observe(long eventTimeMillis) {
      maxEventTime.accumulateAndGet(eventTimeMillis, Math::max);
      lastActivity = clockMillis.getAsLong();
    }

    /** Records left before the end offset, as the reader last saw it ({@link #UNKNOWN_BACKLOG}). */
    public void backlog(long messages) {
      backlog = messages < 0 ? UNKNOWN_BACKLOG : messages;
    }

    /** The highest event time read (or restored), epoch ms; {@code Long.MIN_VALUE} for none. */
    public long maxEventTime() {
      return maxEventTime.get();
    }

    /** This partition's own watermark: max event time minus the delay. */
    public Instant watermark() {
      return instant(watermarkMillis());
    }

    private long watermarkMillis() {
      long max = maxEventTime.get();
      return max == NONE ? NONE : max - delay.getMillis();
    }

    private boolean idle(long now) {
      long b = backlog;
      if (b == 0) {
        return true; // caught up: nothing to read
      }
      return b == UNKNOWN_BACKLOG && now - lastActivity >= idleTimeout.getMillis();
    }
  }
}
