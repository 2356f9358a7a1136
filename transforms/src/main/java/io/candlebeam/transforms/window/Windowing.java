package io.candlebeam.transforms.window;

import java.io.Serializable;
import org.joda.time.Duration;

/**
 * Everything that decides when a windowed aggregate fires: the windows, the output mode, how late
 * data may be, and (for UPDATE and COMPLETE) how often early panes fire in processing time.
 *
 * <p>{@code triggerCheck} is how often the runner looks at processing-time triggers: zero for a
 * runner whose processing-time timers fire when due (Direct, Flink); the micro-batch interval on
 * Beam's SparkRunner, which evaluates triggers once per micro-batch, after that batch's elements
 * ({@link #earlyFiringDelay}).
 */
public record Windowing(WindowSpec windows, OutputMode mode, Duration allowedLateness,
    Duration triggerInterval, Duration triggerCheck) implements Serializable {

  public static final Duration DEFAULT_LATENESS = Duration.standardHours(1);
  public static final Duration DEFAULT_TRIGGER_INTERVAL = Duration.standardSeconds(5);

  public Windowing {
    if (allowedLateness == null || allowedLateness.getMillis() < 0) {
      throw new IllegalArgumentException("allowed lateness must be >= 0, got " + allowedLateness);
    }
    if (triggerInterval == null || triggerInterval.getMillis() <= 0) {
      throw new IllegalArgumentException("trigger interval must be > 0, got " + triggerInterval);
    }
    if (triggerCheck == null || triggerCheck.getMillis() < 0) {
      throw new IllegalArgumentException("trigger check must be >= 0, got " + triggerCheck);
    }
  }

  /** On a runner whose processing-time timers fire when due. */
  public Windowing(WindowSpec windows, OutputMode mode, Duration allowedLateness,
      Duration triggerInterval) {
    this(windows, mode, allowedLateness, triggerInterval, Duration.ZERO);
  }

  /** Daily tumbling windows, append mode, 1 h allowed lateness: the seed's job. */
  public static Windowing daily() {
    return new Windowing(
        WindowSpec.tumbling(Duration.standardDays(1)), OutputMode.APPEND, DEFAULT_LATENESS,
        DEFAULT_TRIGGER_INTERVAL);
  }

  /**
   * How early panes are timed so that they come every {@code triggerInterval}: a pane fires once
   * this long has passed since its first element, at the runner's next look.
   *
   * <p>With timers that fire when due, the delay is the interval. A runner that looks once per
   * micro-batch (the SparkRunner) fires a pane at the first batch that ends more than the delay
   * after the pane's first element was processed, and that batch's elements go into the pane: the
   * next pane's first element comes a batch later. So a delay of the interval gave panes every
   * interval plus one to two batches (every ~2.9 s at 1 s on 1 s batches). The delay is therefore
   * the interval less one batch, less half a batch for where in its batch an element is
   * processed; when that is not positive, every micro-batch that brings data fires a pane
   * ({@link #firesEveryCheck()}), which is Spark's own update mode with a trigger per micro-batch.
   */
  public Duration earlyFiringDelay() {
    long check = triggerCheck.getMillis();
    return Duration.millis(Math.max(0, triggerInterval.getMillis() - check - check / 2));
  }

  /** Whether early panes fire at every look of the runner that finds new data (see above). */
  public boolean firesEveryCheck() {
    return triggerCheck.getMillis() > 0 && earlyFiringDelay().getMillis() == 0;
  }

  public Windowing withMode(OutputMode m) {
    return new Windowing(windows, m, allowedLateness, triggerInterval, triggerCheck);
  }

  public Windowing withAllowedLateness(Duration d) {
    return new Windowing(windows, mode, d, triggerInterval, triggerCheck);
  }

  public Windowing withWindows(WindowSpec w) {
    return new Windowing(w, mode, allowedLateness, triggerInterval, triggerCheck);
  }

  public Windowing withTriggerInterval(Duration d) {
    return new Windowing(windows, mode, allowedLateness, d, triggerCheck);
  }

  /** For a runner that evaluates processing-time triggers every {@code d} (0: when due). */
  public Windowing withTriggerCheck(Duration d) {
    return new Windowing(windows, mode, allowedLateness, triggerInterval, d);
  }
}
