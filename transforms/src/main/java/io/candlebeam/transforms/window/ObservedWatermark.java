package io.candlebeam.transforms.window;

import java.io.Serializable;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.joda.time.Instant;

/**
 * The watermark a source has handed to the runner in this JVM, shared with downstream steps of the
 * same pipeline (a source reports, {@link io.candlebeam.transforms.late.DivertTooLate} reads). A
 * handle is serializable; its values live in a JVM-wide table under the handle's id, so the copies
 * that a runner deserializes into its workers all see the same values.
 *
 * <p>Two values: the highest watermark {@linkplain #report reported}, and the one that had been
 * reported when the source last {@linkplain #reading read a record}. The second is what a record
 * read in the current micro-batch is judged by: on Spark a batch reads all its records and only
 * then reports its new watermark, so while the batch is processed {@link #atLastRead} is the
 * watermark at the start of the batch (Spark Structured Streaming's rule), not the one this very
 * batch just moved to. The runner's watermark is derived from the reports, so in a single JVM
 * (DirectRunner, Spark {@code local[*]}, embedded Flink) it never passes {@link #current}. On a
 * cluster each executor sees only what its own readers reported.
 */
public final class ObservedWatermark implements Serializable {
  private static final Map<String, Values> VALUES = new ConcurrentHashMap<>();

  private final String id;
  /** This JVM's values of {@link #id}, looked up once (sources call {@link #reading} per record). */
  private transient Values values;

  /** Epoch ms, Long.MIN_VALUE for none. */
  private static final class Values {
    final AtomicLong reported = new AtomicLong(Long.MIN_VALUE);
    final AtomicLong atLastRead = new AtomicLong(Long.MIN_VALUE);
  }

  private ObservedWatermark(String id) {
    this.id = id;
  }

  /** A new handle, starting at the beginning of time. */
  public static ObservedWatermark create() {
    return new ObservedWatermark(UUID.randomUUID().toString());
  }

  /** A handle nobody reports to: it stays at the beginning of time (bounded or test sources). */
  public static ObservedWatermark none() {
    return new ObservedWatermark(null);
  }

  /** Records that the source reported {@code watermark}; the value never goes back. */
  public Instant report(Instant watermark) {
    if (id != null && watermark.isAfter(BoundedWindow.TIMESTAMP_MIN_VALUE)) {
      values().reported.accumulateAndGet(watermark.getMillis(), Math::max);
    }
    return watermark;
  }

  /** Records that the source is reading a record now, under the watermark reported so far. */
  public void reading() {
    if (id != null) {
      Values v = values();
      v.atLastRead.accumulateAndGet(v.reported.get(), Math::max);
    }
  }

  /** The highest watermark reported so far ({@link BoundedWindow#TIMESTAMP_MIN_VALUE} if none). */
  public Instant current() {
    return instant(id == null ? null : values(), true);
  }

  /** The watermark that had been reported when the source last read a record. */
  public Instant atLastRead() {
    return instant(id == null ? null : values(), false);
  }

  private Values values() {
    if (values == null) {
      values = VALUES.computeIfAbsent(id, k -> new Values());
    }
    return values;
  }

  private static Instant instant(Values v, boolean reported) {
    long ms = v == null ? Long.MIN_VALUE : (reported ? v.reported : v.atLastRead).get();
    return ms == Long.MIN_VALUE ? BoundedWindow.TIMESTAMP_MIN_VALUE : new Instant(ms);
  }
}
