package io.candlebeam.transforms.window;

import java.io.Serializable;
import org.joda.time.Duration;

/**
 * Everything that decides when a windowed aggregate fires: the windows, the output mode, how late
 * data may be, and (for UPDATE and COMPLETE) how often early panes fire in processing time.
 */
public record Windowing(
    WindowSpec windows, OutputMode mode, Duration allowedLateness, Duration triggerInterval)
    implements Serializable {

  public static final Duration DEFAULT_LATENESS = Duration.standardHours(1);
  public static final Duration DEFAULT_TRIGGER_INTERVAL = Duration.standardSeconds(5);

  public Windowing {
    if (allowedLateness == null || allowedLateness.getMillis() < 0) {
      throw new IllegalArgumentException("allowed lateness must be >= 0, got " + allowedLateness);
    }
    if (triggerInterval == null || triggerInterval.getMillis() <= 0) {
      throw new IllegalArgumentException("trigger interval must be > 0, got " + triggerInterval);
    }
  }

  /** Daily tumbling windows, append mode, 1 h allowed lateness: the seed's job. */
  public static Windowing daily() {
    return new Windowing(
        WindowSpec.tumbling(Duration.standardDays(1)), OutputMode.APPEND, DEFAULT_LATENESS,
        DEFAULT_TRIGGER_INTERVAL);
  }

  public Windowing withMode(OutputMode m) {
    return new Windowing(windows, m, allowedLateness, triggerInterval);
  }

  public Windowing withAllowedLateness(Duration d) {
    return new Windowing(windows, mode, d, triggerInterval);
  }

  public Windowing withWindows(WindowSpec w) {
    return new Windowing(w, mode, allowedLateness, triggerInterval);
  }

  public Windowing withTriggerInterval(Duration d) {
    return new Windowing(windows, mode, allowedLateness, d);
  }
}
