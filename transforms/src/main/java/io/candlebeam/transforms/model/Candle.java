package io.candlebeam.transforms.model;

import java.io.Serializable;
import org.apache.beam.sdk.coders.DefaultCoder;

/**
 * One OHLC candle: the aggregate of one symbol's ticks in one event-time window {@code
 * [windowStart, windowEnd)} (epoch ms, UTC), as of one pane.
 *
 * <p>Optional aggregates ({@code open}, {@code high}, {@code low}, {@code volume}, {@code
 * quoteVolume}, {@code totalTrades}) are {@code null} when no tick of the window carried the field.
 * {@code paneTiming} is EARLY, ON_TIME or LATE; {@code paneIndex} counts the panes of this window
 * from 0, so the pane with the highest index is the most recent version of the candle.
 */
@DefaultCoder(CandleCoder.class)
public record Candle(
    String symbol,
    long windowStart,
    long windowEnd,
    Double open,
    Double high,
    Double low,
    double close,
    Double volume,
    Double quoteVolume,
    Long totalTrades,
    long tickCount,
    double avgPrice,
    String paneTiming,
    long paneIndex,
    boolean isFinal)
    implements Serializable {

  /** This candle's values with another pane description. */
  public Candle withPane(String timing, long index, boolean last) {
    return new Candle(
        symbol, windowStart, windowEnd, open, high, low, close, volume, quoteVolume, totalTrades,
        tickCount, avgPrice, timing, index, last);
  }
}
