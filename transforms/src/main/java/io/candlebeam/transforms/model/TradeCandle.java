package io.candlebeam.transforms.model;

import io.candlebeam.transforms.window.Timeframes;
import java.io.Serializable;
import java.math.BigDecimal;
import org.apache.beam.sdk.coders.DefaultCoder;

/**
 * One OHLCV bar built from trades: one symbol, one event-time window {@code [windowStart,
 * windowEnd)} (epoch ms, UTC) of one timeframe, as of one pane. Prices and volumes are exact
 * decimals (VWAP to 16 significant digits); {@code openTime} .. {@code closeTime} are the trade
 * times of the open, high, low and close. {@code buyVolume} is what takers bought, {@code
 * sellVolume} what they sold; {@code trades} counts exchange trades, {@code records} the input
 * records (they differ for aggTrades).
 */
@DefaultCoder(TradeCandleCoder.class)
public record TradeCandle(
    String symbol,
    long windowStart,
    long windowEnd,
    BigDecimal open,
    BigDecimal high,
    BigDecimal low,
    BigDecimal close,
    long openTime,
    long highTime,
    long lowTime,
    long closeTime,
    BigDecimal volume,
    BigDecimal quoteVolume,
    BigDecimal buyVolume,
    BigDecimal sellVolume,
    BigDecimal vwap,
    long trades,
    long records,
    long firstTradeId,
    long lastTradeId,
    String paneTiming,
    long paneIndex,
    boolean isFinal)
    implements Serializable {

  /** The window's length as a timeframe label: {@code 1m}, {@code 1h}, {@code 1d}, ... */
  public String timeframe() {
    return Timeframes.label(windowEnd - windowStart);
  }
}
