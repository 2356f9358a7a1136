package io.candlebeam.transforms.window;

/**
 * Spark Structured Streaming's output modes, as Beam triggers. Every mode accumulates, so every pane
 * carries the whole current aggregate of its window; see {@link AssignWindows} for the pane table.
 */
public enum OutputMode {
  /** One ON_TIME pane when the watermark passes the window end, then LATE panes. */
  APPEND,
  /** EARLY panes every trigger interval of processing time, then ON_TIME and LATE panes. */
  UPDATE,
  /** As UPDATE, but windows are never closed: a late element always updates its window. */
  COMPLETE;

  public static OutputMode parse(String name) {
    for (OutputMode m : values()) {
      if (m.name().equalsIgnoreCase(name)) {
        return m;
      }
    }
    throw new IllegalArgumentException(
        "unknown output mode '" + name + "': use append, update or complete");
  }
}
