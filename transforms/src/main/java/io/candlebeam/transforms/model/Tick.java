package io.candlebeam.transforms.model;

import java.io.Serializable;
import org.apache.beam.sdk.coders.DefaultCoder;

/**
 * One parsed 24h-ticker tick. {@code symbol}, {@code eventTime} (epoch ms) and {@code price} are
 * always present; every other field is {@code null} when the input did not carry it.
 */
@DefaultCoder(TickCoder.class)
public record Tick(
    String symbol,
    long eventTime,
    double price,
    Double open,
    Double high,
    Double low,
    Double volume,
    Double quoteVolume,
    Long numberTrades,
    Double priceChange,
    Double priceChangePercent,
    String timestamp)
    implements Serializable {

  /** A tick with only the required fields, for tests and generators. */
  public static Tick of(String symbol, long eventTime, double price) {
    return new Tick(symbol, eventTime, price, null, null, null, null, null, null, null, null, null);
  }
}
