package io.candlebeam.transforms.combine;

import io.candlebeam.transforms.model.ShortestDecimal;
import io.candlebeam.transforms.model.Tick;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Objects;

/**
 * The partial candle of some ticks: mutable, mergeable, and independent of the order in which
 * ticks or partials arrive.
 *
 * <ul>
 *   <li>Open: the {@code open} of the earliest tick that has one; among ticks with that same
 *       earliest {@code event_time}, the smallest {@code open}.
 *   <li>Close: the {@code price} of the latest tick; among ticks with that same latest {@code
 *       event_time}, the largest {@code price}.
 *   <li>Sums (price, volume, quote volume) are exact decimal sums of the values as written ({@link
 *       BigDecimal#valueOf(double)}, computed by {@link ShortestDecimal}), so the result does not
 *       depend on summation order, bundle split or runner; they are rounded to double once, at the
 *       end.
 * </ul>
 */
public final class OhlcAccumulator
    implements AccumulatorCombineFn.Accumulator<Tick, OhlcAccumulator> {
  long count;
  BigDecimal priceSum = BigDecimal.ZERO;
  boolean hasOpen;
  long openTime;
  double open;
  long closeTime = Long.MIN_VALUE;
  double close;
  double high = Double.NaN; // NaN: no tick carried the field
  double low = Double.NaN;
  BigDecimal volume; // null: no tick carried the field
  BigDecimal quoteVolume;
  boolean hasTrades;
  long trades;

  public long count() {
    return count;
  }

  public boolean isEmpty() {
    return count == 0;
  }

  /** Folds one tick in. */
  public OhlcAccumulator add(Tick t) {
    count++;
    priceSum = priceSum.add(ShortestDecimal.of(t.price()));
    if (t.open() != null) {
      takeOpen(t.eventTime(), t.open());
    }
    takeClose(t.eventTime(), t.price());
    if (t.high() != null) {
      high = Double.isNaN(high) ? t.high() : Math.max(high, t.high());
    }
    if (t.low() != null) {
      low = Double.isNaN(low) ? t.low() : Math.min(low, t.low());
    }
    if (t.volume() != null) {
      volume = plus(volume, ShortestDecimal.of(t.volume()));
    }
    if (t.quoteVolume() != null) {
      quoteVolume = plus(quoteVolume, ShortestDecimal.of(t.quoteVolume()));
    }
    if (t.numberTrades() != null) {
      trades = hasTrades ? Math.addExact(trades, t.numberTrades()) : t.numberTrades();
      hasTrades = true;
    }
    return this;
  }

  /** Folds another partial in; {@code other} is left unchanged. */
  public OhlcAccumulator merge(OhlcAccumulator other) {
    if (other.count == 0) {
      return this;
    }
    count += other.count;
    priceSum = priceSum.add(other.priceSum);
    if (other.hasOpen) {
      takeOpen(other.openTime, other.open);
    }
    takeClose(other.closeTime, other.close);
    if (!Double.isNaN(other.high)) {
      high = Double.isNaN(high) ? other.high : Math.max(high, other.high);
    }
    if (!Double.isNaN(other.low)) {
      low = Double.isNaN(low) ? other.low : Math.min(low, other.low);
    }
    if (other.volume != null) {
      volume = plus(volume, other.volume);
    }
    if (other.quoteVolume != null) {
      quoteVolume = plus(quoteVolume, other.quoteVolume);
    }
    if (other.hasTrades) {
      trades = hasTrades ? Math.addExact(trades, other.trades) : other.trades;
      hasTrades = true;
    }
    return this;
  }

  private void takeOpen(long time, double value) {
    if (!hasOpen || time < openTime || (time == openTime && value < open)) {
      hasOpen = true;
      openTime = time;
      open = value;
    }
  }

  private void takeClose(long time, double value) {
    if (time > closeTime || (time == closeTime && value > close)) {
      closeTime = time;
      close = value;
    }
  }

  private static BigDecimal plus(BigDecimal sum, BigDecimal value) {
    return sum == null ? value : sum.add(value);
  }

  public Double openOrNull() {
    return hasOpen ? open : null;
  }

  public Double highOrNull() {
    return Double.isNaN(high) ? null : high;
  }

  public Double lowOrNull() {
    return Double.isNaN(low) ? null : low;
  }

  public double close() {
    return close;
  }

  public Double volumeOrNull() {
    return volume == null ? null : volume.doubleValue();
  }

  public Double quoteVolumeOrNull() {
    return quoteVolume == null ? null : quoteVolume.doubleValue();
  }

  public Long tradesOrNull() {
    return hasTrades ? trades : null;
  }

  /** The mean price, from the exact sum, rounded once. */
  public double avgPrice() {
    return count == 0
        ? Double.NaN
        : priceSum.divide(BigDecimal.valueOf(count), MathContext.DECIMAL128).doubleValue();
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof OhlcAccumulator a)) {
      return false;
    }
    return count == a.count
        && priceSum.compareTo(a.priceSum) == 0
        && Objects.equals(openOrNull(), a.openOrNull())
        && (count == 0 || (closeTime == a.closeTime && close == a.close))
        && Objects.equals(highOrNull(), a.highOrNull())
        && Objects.equals(lowOrNull(), a.lowOrNull())
        && compare(volume, a.volume)
        && compare(quoteVolume, a.quoteVolume)
        && Objects.equals(tradesOrNull(), a.tradesOrNull());
  }

  private static boolean compare(BigDecimal x, BigDecimal y) {
    return x == null ? y == null : y != null && x.compareTo(y) == 0;
  }

  @Override
  public int hashCode() {
    return Objects.hash(count, close, openOrNull(), tradesOrNull());
  }

  @Override
  public String toString() {
    return "OhlcAccumulator{count=" + count + ", open=" + openOrNull() + ", high=" + highOrNull()
        + ", low=" + lowOrNull() + ", close=" + close + "@" + closeTime + ", priceSum=" + priceSum
        + ", volume=" + volume + ", quoteVolume=" + quoteVolume + ", trades=" + tradesOrNull() + "}";
  }
}
