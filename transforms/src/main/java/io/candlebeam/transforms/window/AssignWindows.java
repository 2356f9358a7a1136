package io.candlebeam.transforms.window;

import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.windowing.AfterPane;
import org.apache.beam.sdk.transforms.windowing.AfterProcessingTime;
import org.apache.beam.sdk.transforms.windowing.AfterWatermark;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Sessions;
import org.apache.beam.sdk.transforms.windowing.SlidingWindows;
import org.apache.beam.sdk.transforms.windowing.Trigger;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.transforms.windowing.Window.ClosingBehavior;
import org.apache.beam.sdk.transforms.windowing.Window.OnTimeBehavior;
import org.apache.beam.sdk.transforms.windowing.WindowFn;
import java.util.Collection;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.WindowingStrategy;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * The one place where windows, trigger, allowed lateness and accumulation are decided, from a
 * {@link Windowing}. Generic over the element type; the key function is used only for per-key
 * session gaps.
 *
 * <p>Event time is the element timestamp; the watermark is the source's (for Kafka, the max event
 * time seen minus the watermark delay). Every mode accumulates: each pane carries the complete
 * current aggregate of its window, and the pane index orders the versions of one window.
 *
 * <pre>
 * mode      | EARLY                                   | ON_TIME                          | LATE                                         | window closed (state dropped)
 * ----------+-----------------------------------------+----------------------------------+----------------------------------------------+--------------------------------
 * append    | none                                    | once, when watermark passes end  | one per bundle of late data within lateness  | at end + allowed lateness
 * update    | every triggerInterval after first data  | always (even with no new data)   | one per bundle of late data within lateness  | at end + allowed lateness
 * complete  | every triggerInterval after first data  | always (even with no new data)   | one per bundle of late data, ever            | never (Spark's complete mode keeps all state)
 * </pre>
 *
 * <p>On the SparkRunner, which looks at processing-time triggers once per micro-batch, the early
 * delay is shortened so that panes still come every triggerInterval, and an interval of about one
 * micro-batch fires a pane at each micro-batch with new data ({@link Windowing#earlyFiringDelay}).
 *
 * <p>A global window (no windowing) has no end: it fires EARLY panes only (update, complete), or
 * one ON_TIME pane when a bounded input is exhausted. Data for a window already closed is dropped by
 * the runner and counted in its {@code droppedDueToLateness} counter; {@link #closesAt} tells
 * beforehand when that happens, so {@link io.candlebeam.transforms.late.DivertTooLate} can keep
 * such records instead.
 */
public final class AssignWindows<T> extends PTransform<PCollection<T>, PCollection<T>> {
  /** "Forever" for complete mode: far beyond any event time, yet safe from overflow. */
  static final Duration NEVER_CLOSE = Duration.standardDays(365L * 10_000);

  private final Windowing windowing;
  private final SerializableFunction<T, String> keyFn;

  private AssignWindows(Windowing windowing, SerializableFunction<T, String> keyFn) {
    this.windowing = windowing;
    this.keyFn = keyFn;
  }

  public static <T> AssignWindows<T> of(Windowing windowing, SerializableFunction<T, String> keyFn) {
    return new AssignWindows<>(windowing, keyFn);
  }

  @Override
  public PCollection<T> expand(PCollection<T> input) {
    return input.apply("Window", window());
  }

  /**
   * The windowing strategy this transform gives, for a DoFn that assigns windows itself ({@link
   * #windowsOf}) and sets the strategy on its output.
   */
  public WindowingStrategy<?, ?> strategy() {
    return window().getOutputStrategyInternal(WindowingStrategy.globalDefault());
  }

  /** The windows {@code strategy}'s window function assigns to {@code element} at {@code time}. */
  @SuppressWarnings("unchecked")
  public static <T> Collection<? extends BoundedWindow> windowsOf(
      WindowingStrategy<?, ?> strategy, T element, Instant time) {
    WindowFn<T, BoundedWindow> fn = (WindowFn<T, BoundedWindow>) strategy.getWindowFn();
    try {
      return fn.assignWindows(fn.new AssignContext() {
        @Override
        public T element() {
          return element;
        }

        @Override
        public Instant timestamp() {
          return time;
        }

        @Override
        public BoundedWindow window() {
          return GlobalWindow.INSTANCE;
        }
      });
    } catch (Exception e) {
      throw new IllegalStateException("cannot assign windows to " + element, e);
    }
  }

  private Window<T> window() {
    Duration lateness =
        windowing.mode() == OutputMode.COMPLETE ? NEVER_CLOSE : windowing.allowedLateness();
    return Window.<T>into(windowFn())
        .triggering(trigger())
        .withAllowedLateness(lateness, ClosingBehavior.FIRE_IF_NON_EMPTY)
        .withOnTimeBehavior(OnTimeBehavior.FIRE_ALWAYS)
        .accumulatingFiredPanes();
  }

  private Trigger trigger() {
    AfterWatermark.FromEndOfWindow onTime = AfterWatermark.pastEndOfWindow();
    Trigger.OnceTrigger late = AfterPane.elementCountAtLeast(1);
    if (windowing.mode() == OutputMode.APPEND) {
      return onTime.withLateFirings(late);
    }
    Trigger.OnceTrigger early = windowing.firesEveryCheck()
        ? AfterPane.elementCountAtLeast(1)
        : AfterProcessingTime.pastFirstElementInPane().plusDelayOf(windowing.earlyFiringDelay());
    return onTime.withEarlyFirings(early).withLateFirings(late);
  }

  /**
   * For an element's event time, the watermark from which it is dropped from every window it
   * belongs to: the runner drops an element from a window once that window's end + allowed
   * lateness is before the watermark. For sliding windows this is the latest of its windows; for
   * sessions its own proto-window {@code [t, t + gap)} with the largest gap of any key (merging
   * happens after the check). {@link BoundedWindow#TIMESTAMP_MAX_VALUE}: never (global window,
   * complete mode). The windows are set up once, here; the function is cheap per element.
   */
  public static SerializableFunction<Instant, Instant> closesAt(Windowing windowing) {
    WindowSpec w = windowing.windows();
    Duration lateness = windowing.allowedLateness();
    if (windowing.mode() == OutputMode.COMPLETE || w.kind() == WindowSpec.Kind.GLOBAL) {
      return t -> BoundedWindow.TIMESTAMP_MAX_VALUE;
    }
    return switch (w.kind()) {
      case TUMBLING -> {
        FixedWindows fixed = FixedWindows.of(w.size());
        yield t -> fixed.assignWindow(t).maxTimestamp().plus(lateness);
      }
      case SLIDING -> {
        SlidingWindows sliding = SlidingWindows.of(w.size()).every(w.period());
        yield t -> sliding.assignWindows(t).stream().map(IntervalWindow::maxTimestamp)
            .max(Instant::compareTo).orElseThrow().plus(lateness);
      }
      case TIMEFRAMES -> {
        Timeframes frames = Timeframes.of(w.timeframes());
        yield t -> frames.windowsAt(t).stream().map(IntervalWindow::maxTimestamp)
            .max(Instant::compareTo).orElseThrow().plus(lateness);
      }
      default -> {
        Duration gap = w.gapsByKey().values().stream()
            .reduce(w.gap(), (x, y) -> x.isLongerThan(y) ? x : y);
        Duration closesAfter = gap.minus(Duration.millis(1)).plus(lateness);
        yield t -> t.plus(closesAfter);
      }
    };
  }

  @SuppressWarnings("unchecked")
  private WindowFn<? super T, ?> windowFn() {
    WindowSpec w = windowing.windows();
    return switch (w.kind()) {
      case TUMBLING -> FixedWindows.of(w.size());
      case SLIDING -> SlidingWindows.of(w.size()).every(w.period());
      case SESSION -> w.gapsByKey().isEmpty()
          ? Sessions.withGapDuration(w.gap())
          : new SessionsWithGapPerKey<>(w.gap(), w.gapsByKey(), keyFn);
      case TIMEFRAMES -> Timeframes.of(w.timeframes());
      case GLOBAL -> new GlobalWindows();
    };
  }
}
