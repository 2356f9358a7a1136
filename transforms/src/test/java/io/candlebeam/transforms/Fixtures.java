package io.candlebeam.transforms;

import io.candlebeam.transforms.model.Candle;
import io.candlebeam.transforms.model.Tick;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.values.TimestampedValue;
import org.joda.time.Duration;
import org.joda.time.Instant;

/** Fixed base time and builders for ticks and expected candles. */
public final class Fixtures {
  /** Day 0 of every test: a Friday, 00:00 UTC. */
  public static final Instant BASE = Instant.parse("2024-03-01T00:00:00Z");
  public static final IntervalWindow DAY0 = new IntervalWindow(BASE, Duration.standardDays(1));
  public static final IntervalWindow DAY1 =
      new IntervalWindow(BASE.plus(Duration.standardDays(1)), Duration.standardDays(1));

  private Fixtures() {}

  public static Tick tick(String symbol, Duration offset, double price, Double open, Double high,
      Double low, Double volume, Double quoteVolume, Long trades) {
    return new Tick(symbol, BASE.plus(offset).getMillis(), price, open, high, low, volume,
        quoteVolume, trades, null, null, null);
  }

  public static TimestampedValue<Tick> stamped(Tick t) {
    return TimestampedValue.of(t, new Instant(t.eventTime()));
  }

  public static Duration hours(long h) {
    return Duration.standardHours(h);
  }

  public static Duration minutes(long m) {
    return Duration.standardMinutes(m);
  }

  /** An expected candle of {@code window}. */
  public static Candle candle(String symbol, IntervalWindow window, Double open, Double high,
      Double low, double close, Double volume, Double quoteVolume, Long trades, long ticks,
      double avg, String timing, long paneIndex, boolean isFinal) {
    return new Candle(symbol, window.start().getMillis(), window.end().getMillis(), open, high,
        low, close, volume, quoteVolume, trades, ticks, avg, timing, paneIndex, isFinal);
  }
}
