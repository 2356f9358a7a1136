package io.candlebeam.transforms.window;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.transforms.windowing.FixedWindows;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.NonMergingWindowFn;
import org.apache.beam.sdk.transforms.windowing.WindowFn;
import org.apache.beam.sdk.transforms.windowing.WindowMappingFn;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Several tumbling timeframes at once ({@code 1m, 5m, 1h, 1d}): each element is assigned to one
 * window of each, aligned to the epoch (UTC), as {@code SlidingWindows} assigns one element to
 * several windows. A window's length says its timeframe ({@link #label}), so one shuffle keyed by
 * symbol computes every timeframe, each (symbol, window) pair being one bar.
 */
public final class Timeframes extends NonMergingWindowFn<Object, IntervalWindow> {
  private final List<Duration> sizes;
  private final List<FixedWindows> fixed;

  private Timeframes(List<Duration> sizes) {
    this.sizes = List.copyOf(sizes);
    this.fixed = this.sizes.stream().map(FixedWindows::of).toList();
  }

  /** One window function over {@code sizes}: distinct, positive, in any order. */
  public static Timeframes of(List<Duration> sizes) {
    if (sizes.isEmpty()) {
      throw new IllegalArgumentException("no timeframe given");
    }
    List<Duration> sorted = new ArrayList<>(sizes);
    sorted.sort(Duration::compareTo);
    for (int i = 0; i < sorted.size(); i++) {
      if (sorted.get(i).getMillis() <= 0) {
        throw new IllegalArgumentException("timeframe " + sorted.get(i) + " is not positive");
      }
      if (i > 0 && sorted.get(i).equals(sorted.get(i - 1))) {
        throw new IllegalArgumentException("timeframe " + label(sorted.get(i).getMillis())
            + " is given twice");
      }
    }
    return new Timeframes(sorted);
  }

  public List<Duration> sizes() {
    return sizes;
  }

  /**
   * A window length as a label: the largest unit that divides it ({@code 1d}, {@code 4h}, {@code
   * 15m}, {@code 30s}, else milliseconds: {@code 1500ms}).
   */
  public static String label(long millis) {
    long[] units = {86_400_000L, 3_600_000L, 60_000L, 1_000L};
    String[] names = {"d", "h", "m", "s"};
    for (int i = 0; i < units.length; i++) {
      if (millis >= units[i] && millis % units[i] == 0) {
        return millis / units[i] + names[i];
      }
    }
    return millis + "ms";
  }

  @Override
  public Collection<IntervalWindow> assignWindows(AssignContext c) {
    return windowsAt(c.timestamp());
  }

  /** The window of each timeframe that holds {@code time}, smallest timeframe first. */
  public List<IntervalWindow> windowsAt(Instant time) {
    List<IntervalWindow> windows = new ArrayList<>(fixed.size());
    for (FixedWindows f : fixed) {
      windows.add(f.assignWindow(time));
    }
    return windows;
  }

  /**
   * Whether every timeframe is a whole multiple of the smallest: then, all being aligned to the
   * epoch, each window of a larger timeframe is the union of windows of the smallest, and bars can
   * be rolled up from the smallest ({@link #largerWindowsOf}).
   */
  public boolean nests() {
    long smallest = sizes.get(0).getMillis();
    return fixed.size() > 1 && sizes.stream().allMatch(d -> d.getMillis() % smallest == 0);
  }

  /** The window of the smallest timeframe that holds {@code time}. */
  public IntervalWindow smallestWindowAt(Instant time) {
    return fixed.get(0).assignWindow(time);
  }

  /** The windows of the larger timeframes that hold a window of the smallest ({@link #nests}). */
  public List<IntervalWindow> largerWindowsOf(IntervalWindow smallest) {
    List<IntervalWindow> windows = new ArrayList<>(fixed.size() - 1);
    for (int i = 1; i < fixed.size(); i++) {
      windows.add(fixed.get(i).assignWindow(smallest.start()));
    }
    return windows;
  }

  @Override
  public boolean isCompatible(WindowFn<?, ?> other) {
    return other instanceof Timeframes t && t.sizes.equals(sizes);
  }

  @Override
  public Coder<IntervalWindow> windowCoder() {
    return IntervalWindow.getCoder();
  }

  @Override
  public WindowMappingFn<IntervalWindow> getDefaultWindowMappingFn() {
    throw new UnsupportedOperationException(
        "a bar of several timeframes cannot be a side input: window it into one timeframe first");
  }

  @Override
  public boolean assignsToOneWindow() {
    return fixed.size() == 1;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Timeframes t && t.sizes.equals(sizes);
  }

  @Override
  public int hashCode() {
    return sizes.hashCode();
  }
}
