package io.candlebeam.transforms.window;

import java.io.Serializable;
import java.util.List;
import java.util.Map;
import org.joda.time.Duration;

/**
 * Which event-time windows: tumbling ({@code size}), sliding ({@code size} every {@code period}),
 * sessions ({@code gap}, optionally a different gap for some keys), several tumbling timeframes at
 * once ({@code timeframes}: {@link Timeframes}), or one global window.
 */
public record WindowSpec(Kind kind, Duration size, Duration period, Duration gap,
    Map<String, Duration> gapsByKey, List<Duration> timeframes) implements Serializable {

  public enum Kind {
    TUMBLING,
    SLIDING,
    SESSION,
    TIMEFRAMES,
    GLOBAL
  }

  public WindowSpec {
    gapsByKey = gapsByKey == null ? Map.of() : Map.copyOf(gapsByKey);
    timeframes = timeframes == null || timeframes.isEmpty() ? List.of()
        : Timeframes.of(timeframes).sizes();
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
      case TIMEFRAMES -> {
        if (timeframes.isEmpty()) {
          throw new IllegalArgumentException("no timeframe given");
        }
      }
      case GLOBAL -> {}
    }
  }

  public static WindowSpec tumbling(Duration size) {
    return new WindowSpec(Kind.TUMBLING, size, null, null, null, null);
  }

  public static WindowSpec sliding(Duration size, Duration period) {
    return new WindowSpec(Kind.SLIDING, size, period, null, null, null);
  }

  public static WindowSpec sessions(Duration gap) {
    return new WindowSpec(Kind.SESSION, null, null, gap, null, null);
  }

  public static WindowSpec sessions(Duration gap, Map<String, Duration> gapsByKey) {
    return new WindowSpec(Kind.SESSION, null, null, gap, gapsByKey, null);
  }

  /** Tumbling windows of every size in {@code sizes} at once, sorted ascending. */
  public static WindowSpec timeframes(List<Duration> sizes) {
    return new WindowSpec(Kind.TIMEFRAMES, null, null, null, null, sizes);
  }

  public static WindowSpec global() {
    return new WindowSpec(Kind.GLOBAL, null, null, null, null, null);
  }

  private static void requirePositive(String what, Duration d) {
    if (d == null || d.getMillis() <= 0) {
      throw new IllegalArgumentException(what + " must be a positive duration, got " + d);
    }
  }
}
