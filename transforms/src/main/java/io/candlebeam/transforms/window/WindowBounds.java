package io.candlebeam.transforms.window;

import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;

/**
 * A window's bounds in epoch ms, for outputs that carry them: an interval window's start and end;
 * for the global window, Beam's minimum timestamp and the window's max timestamp.
 */
public final class WindowBounds {
  private WindowBounds() {}

  public static long start(BoundedWindow w) {
    return w instanceof IntervalWindow i ? i.start().getMillis()
        : BoundedWindow.TIMESTAMP_MIN_VALUE.getMillis();
  }

  public static long end(BoundedWindow w) {
    return w instanceof IntervalWindow i ? i.end().getMillis() : w.maxTimestamp().getMillis();
  }
}
