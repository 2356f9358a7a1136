package io.candlebeam.transforms.watermark;

import io.candlebeam.transforms.model.RawRecord;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * The event-time clock of a single-stream unbounded reader (socket, directory): stamps each
 * payload with its event time and keeps the watermark at the max event time seen minus a delay,
 * never going back. A payload without an event time (it will be a dead letter) is stamped with the
 * current max (or the time it arrived, before any) and does not move the watermark. The watermark
 * last handed to the runner is what a record read now is judged by ({@link #record}).
 */
public final class EventClock {
  private final SerializableFunction<String, Long> eventTime;
  private final Duration delay;
  private long max;
  private volatile long reported = BoundedWindow.TIMESTAMP_MIN_VALUE.getMillis();

  public EventClock(SerializableFunction<String, Long> eventTime, Duration delay, long resumeMax) {
    this.eventTime = eventTime;
    this.delay = delay;
    this.max = resumeMax;
  }

  public EventClock(SerializableFunction<String, Long> eventTime, Duration delay) {
    this(eventTime, delay, Long.MIN_VALUE);
  }

  /** The element timestamp for {@code payload}. */
  public Instant stamp(String payload) {
    Long t = eventTime.apply(payload);
    if (t != null) {
      max = Math.max(max, t);
      return new Instant(t);
    }
    return max == Long.MIN_VALUE ? Instant.now() : new Instant(max);
  }

  /** {@code record} as read now: under the watermark last handed out. */
  public RawRecord record(RawRecord record) {
    return new RawRecord(record.payload(), record.origin(), record.metadata(), reported);
  }

  /** The watermark to hand to the runner now. */
  public Instant watermark() {
    Instant w = max == Long.MIN_VALUE ? BoundedWindow.TIMESTAMP_MIN_VALUE
        : new Instant(max).minus(delay);
    reported = Math.max(reported, w.getMillis());
    return w;
  }

  /** The max event time seen, for a checkpoint (Long.MIN_VALUE: none yet). */
  public long max() {
    return max;
  }
}
