package io.candlebeam.transforms.window;

import java.io.Serializable;
import java.util.Map;
import org.joda.time.Duration;

/**
 * Which event-time windows: tumbling ({@code size}), sliding ({@code size} every {@code period}),
 * sessions ({@code gap}, optionally a different gap for some keys), or one global window.
 */
public record WindowSpec(
    Kind kind, Duration size, Duration period, Duration gap, Map<String, Duration> gapsByKey)
    implements Serializable {

  public enum Kind {
    TUMBLING,
    SLIDING,
    SESSION,
    GLOBAL
  }

  public WindowSpec {
    gapsByKey = gapsByKey == null ? Map.of() : Map.copyOf(gapsByKey);
    switch (kind) {
      case TUMBLING -> requirePositive("window size", size);
      case SLIDING -> {
        requirePositive("window size", size);
        requirePositive("window period", period);
        if (period.isLongerThan(size)) {
          throw new IllegalArgumentException(
              "window period " + period + " is longer than window size " + size
                  + ": some events would fall in no window");
        }
      }
      case SESSION -> {
        requirePositive("session gap", gap);
        gapsByKey.forEach((k, g) -> requirePositive("session gap for " + k, g));
      }
      case GLOBAL -> {}
    }
  }

  public static WindowSpec tumbling(Duration size) {
    return new WindowSpec(Kind.TUMBLING, size, null, null, null);
  }

  public static WindowSpec sliding(Duration size, Duration period) {
    return new WindowSpec(Kind.SLIDING, size, period, null, null);
  }

  public static WindowSpec sessions(Duration gap) {
    return new WindowSpec(Kind.SESSION, null, null, gap, null);
  }

  public static WindowSpec sessions(Duration gap, Map<String, Duration> gapsByKey) {
    return new WindowSpec(Kind.SESSION, null, null, gap, gapsByKey);
  }

  public static WindowSpec global() {
    return new WindowSpec(Kind.GLOBAL, null, null, null, null);
  }

  private static void requirePositive(String what, Duration d) {
    if (d == null || d.getMillis() <= 0) {
      throw new IllegalArgumentException(what + " must be a positive duration, got " + d);
    }
  }
}
