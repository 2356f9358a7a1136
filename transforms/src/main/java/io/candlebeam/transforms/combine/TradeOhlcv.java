package io.candlebeam.transforms.combine;

import io.candlebeam.transforms.model.Trade;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Objects;

/**
 * The partial OHLCV bar of some trades: mutable, mergeable, and independent of the order in which
 * trades or partials arrive. Every sum is an exact decimal.
 *
 * <ul>
 *   <li>Open / close: the price of the first / last trade by (trade time, id); high / low: the
 *       largest / smallest price, at the first (trade time, id) it was traded. The same trade
 *       delivered twice (same time and id) cannot change which trade that is.
 *   <li>Volume = Σ quantity; quote volume = Σ price × quantity; buy volume = Σ quantity of trades
 *       whose taker bought (the buyer was not the maker); VWAP = quote volume / volume.
 *   <li>Trades counts exchange trades (an aggTrade counts {@code l - f + 1}); records counts the
 *       input records.
 * </ul>
 */
public final class TradeOhlcv implements AccumulatorCombineFn.Accumulator<Trade, TradeOhlcv> {
  /** VWAP's precision: 16 significant digits, half-even. */
  public static final MathContext VWAP = MathContext.DECIMAL64;

  long records;
  long trades;
  Point open;
  Point close;
  Point high;
  Point low;
  BigDecimal volume = BigDecimal.ZERO;
  BigDecimal quoteVolume = BigDecimal.ZERO;
  BigDecimal buyVolume = BigDecimal.ZERO;
  long firstTradeId = Long.MAX_VALUE;
  long lastTradeId = Long.MIN_VALUE;

  /** A price at a trade, ordered by (time, id). */
  record Point(BigDecimal price, long time, long id) {
    boolean before(Point o) {
      return time != o.time ? time < o.time : id < o.id;
    }

    boolean sameTrade(Point o) {
      return time == o.time && id == o.id;
    }
  }

  public boolean isEmpty() {
    return records == 0;
  }

  /** Folds one trade in. */
  public TradeOhlcv add(Trade t) {
    records++;
    trades = Math.addExact(trades, t.tradeCount());
    Point p = new Point(t.price(), t.tradeTime(), t.id());
    takePrices(p, p, p, p);
    volume = volume.add(t.quantity());
    quoteVolume = quoteVolume.add(t.quoteQuantity());
    if (!t.buyerIsMaker()) {
      buyVolume = buyVolume.add(t.quantity());
    }
    firstTradeId = Math.min(firstTradeId, t.firstTradeId());
    lastTradeId = Math.max(lastTradeId, t.lastTradeId());
    return this;
  }

  /** Folds another partial in; {@code other} is left unchanged. */
  public TradeOhlcv merge(TradeOhlcv other) {
    if (other.records == 0) {
      return this;
    }
    records += other.records;
    trades = Math.addExact(trades, other.trades);
    takePrices(other.open, other.close, other.high, other.low);
    volume = volume.add(other.volume);
    quoteVolume = quoteVolume.add(other.quoteVolume);
    buyVolume = buyVolume.add(other.buyVolume);
    firstTradeId = Math.min(firstTradeId, other.firstTradeId);
    lastTradeId = Math.max(lastTradeId, other.lastTradeId);
    return this;
  }

  private void takePrices(Point o, Point c, Point h, Point l) {
    if (open == null || o.before(open) || (o.sameTrade(open) && o.price.compareTo(open.price) < 0)) {
      open = o;
    }
    if (close == null || close.before(c)
        || (c.sameTrade(close) && c.price.compareTo(close.price) > 0)) {
      close = c;
    }
    int vsHigh = high == null ? 1 : h.price.compareTo(high.price);
    if (vsHigh > 0 || (vsHigh == 0 && h.before(high))) {
      high = h;
    }
    int vsLow = low == null ? -1 : l.price.compareTo(low.price);
    if (vsLow < 0 || (vsLow == 0 && l.before(low))) {
      low = l;
    }
  }

  public long records() {
    return records;
  }

  public long trades() {
    return trades;
  }

  public BigDecimal open() {
    return open.price;
  }

  public long openTime() {
    return open.time;
  }

  public BigDecimal high() {
    return high.price;
  }

  public long highTime() {
    return high.time;
  }

  public BigDecimal low() {
    return low.price;
  }

  public long lowTime() {
    return low.time;
  }

  public BigDecimal close() {
    return close.price;
  }

  public long closeTime() {
    return close.time;
  }

  public BigDecimal volume() {
    return volume;
  }

  public BigDecimal quoteVolume() {
    return quoteVolume;
  }

  /** Σ quantity of trades whose taker bought. */
  public BigDecimal buyVolume() {
    return buyVolume;
  }

  /** Σ quantity of trades whose taker sold (the buyer was the maker). */
  public BigDecimal sellVolume() {
    return volume.subtract(buyVolume);
  }

  /** Quote volume / volume, to {@link #VWAP}'s 16 significant digits. */
  public BigDecimal vwap() {
    return quoteVolume.divide(volume, VWAP).stripTrailingZeros();
  }

  public long firstTradeId() {
    return firstTradeId;
  }

  public long lastTradeId() {
    return lastTradeId;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof TradeOhlcv a)) {
      return false;
    }
    return records == a.records && trades == a.trades
        && (records == 0 || (same(open, a.open) && same(close, a.close) && same(high, a.high)
            && same(low, a.low) && firstTradeId == a.firstTradeId && lastTradeId == a.lastTradeId))
        && volume.compareTo(a.volume) == 0 && quoteVolume.compareTo(a.quoteVolume) == 0
        && buyVolume.compareTo(a.buyVolume) == 0;
  }

  private static boolean same(Point x, Point y) {
    return x.sameTrade(y) && x.price.compareTo(y.price) == 0;
  }

  @Override
  public int hashCode() {
    return Objects.hash(records, trades, firstTradeId, lastTradeId);
  }

  @Override
  public String toString() {
    return records == 0 ? "TradeOhlcv{empty}" : "TradeOhlcv{records=" + records + ", trades="
        + trades + ", open=" + open + ", high=" + high + ", low=" + low + ", close=" + close
        + ", volume=" + volume + ", quoteVolume=" + quoteVolume + ", buyVolume=" + buyVolume
        + ", ids=" + firstTradeId + ".." + lastTradeId + "}";
  }
}
