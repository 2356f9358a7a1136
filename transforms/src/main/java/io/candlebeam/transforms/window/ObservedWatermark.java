package io.candlebeam.transforms.window;

import java.io.Serializable;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.joda.time.Instant;

/**
 * The highest watermark a source has reported to the runner in this JVM, shared with downstream
 * steps of the same pipeline (a source reports, {@link io.candlebeam.transforms.late.DivertTooLate}
 * reads). A handle is serializable; its value lives in a JVM-wide table under the handle's id, so
 * the copies that a runner deserializes into its workers all see the same value.
 *
 * <p>The runner's watermark is derived from the values the source reports, so it is never ahead of
 * this one in a single-JVM run (DirectRunner, Spark {@code local[*]}, embedded Flink). On a
 * cluster each executor sees only what its own readers reported.
 */
public final class ObservedWatermark implements Serializable {
  private static final Map<String, AtomicLong> REPORTED = new ConcurrentHashMap<>();

  private final String id;

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
      REPORTED.computeIfAbsent(id, k -> new AtomicLong(Long.MIN_VALUE))
          .accumulateAndGet(watermark.getMillis(), Math::max);
    }
    return watermark;
  }

  /** The highest watermark reported so far ({@link BoundedWindow#TIMESTAMP_MIN_VALUE} if none). */
  public Instant current() {
    AtomicLong value = id == null ? null : REPORTED.get(id);
    return value == null || value.get() == Long.MIN_VALUE
        ? BoundedWindow.TIMESTAMP_MIN_VALUE : new Instant(value.get());
  }
}
