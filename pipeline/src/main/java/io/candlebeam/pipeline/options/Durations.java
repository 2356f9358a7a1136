package io.candlebeam.pipeline.options;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.joda.time.Duration;

/** Parses durations as people write them: 1d, 2h, 15m, 30s, 500ms, or ISO-8601 (PT15M, P1D). */
public final class Durations {
  private static final Pattern SHORT = Pattern.compile("(\\d+)\\s*(ms|d|h|m|s)");

  private Durations() {}

  public static Duration parse(String flag, String text) {
    String t = text == null ? "" : text.trim().toLowerCase();
    Matcher m = SHORT.matcher(t);
    try {
      if (m.matches()) {
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
          case "ms" -> Duration.millis(n);
          case "s" -> Duration.standardSeconds(n);
          case "m" -> Duration.standardMinutes(n);
          case "h" -> Duration.standardHours(n);
          default -> Duration.standardDays(n);
        };
      }
      if (t.startsWith("p")) {
        return Duration.millis(java.time.Duration.parse(t.toUpperCase()).toMillis());
      }
    } catch (RuntimeException e) {
      // fall through to the error below
    }
    throw new IllegalArgumentException("--" + flag + "=" + text
        + " is not a duration: write it as 1d, 2h, 15m, 30s, 500ms or ISO-8601 (PT15M)");
  }
}
