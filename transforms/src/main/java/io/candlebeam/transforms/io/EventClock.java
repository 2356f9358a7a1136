package io.candlebeam.transforms.io;

import io.candlebeam.transforms.window.ObservedWatermark;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * The event-time clock of an unbounded reader (socket, directory): stamps each payload with its
 * event time and keeps the watermark at the max event time seen minus a delay, never going back.
 * A payload without an event time (it will be a dead letter) is stamped with the current max (or
 * the time it arrived, before any) and does not move the watermark. Every watermark handed out is
 * also reported to an {@link ObservedWatermark}, for the late-data check downstream.
 */
public final class EventClock {
  private final SerializableFunction<String, Long> eventTime;
  private final Duration delay;
  private final ObservedWatermark observed;
  private long max;

  public EventClock(SerializableFunction<String, Long> eventTime, Duration delay, long resumeMax,
      ObservedWatermark observed) {
    this.eventTime = eventTime;
    this.delay = delay;
    this.max = resumeMax;
    this.observed = observed;
  }

  public EventClock(SerializableFunction<String, Long> eventTime, Duration delay,
      ObservedWatermark observed) {
    this(eventTime, delay, Long.MIN_VALUE, observed);
  }

  /** The element timestamp for {@code payload}. */
  public Instant stamp(String payload) {
    observed.reading();
    Long t = eventTime.apply(payload);
    if (t != null) {
      max = Math.max(max, t);
      return new Instant(t);
    }
    return max == Long.MIN_VALUE ? Instant.now() : new Instant(max);
  }

  public Instant watermark() {
    return observed.report(
        max == Long.MIN_VALUE ? BoundedWindow.TIMESTAMP_MIN_VALUE : new Instant(max).minus(delay));
  }

  /** The max event time seen, for a checkpoint (Long.MIN_VALUE: none yet). */
  public long max() {
    return max;
  }
}
