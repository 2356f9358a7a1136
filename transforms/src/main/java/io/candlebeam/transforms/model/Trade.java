package io.candlebeam.transforms.model;

import java.io.Serializable;
import java.math.BigDecimal;
import org.apache.beam.sdk.coders.DefaultCoder;

/**
 * One exchange trade (a Binance {@code trade}) or aggregated trade ({@code aggTrade}: several fills
 * of one taker order at one price). {@code price} and {@code quantity} are exact decimals as the
 * exchange wrote them. {@code tradeTime} ({@code T}) is the event time; {@code eventTime} ({@code
 * E}) is when the exchange sent it (0 when absent). {@code id} is the trade id ({@code t}) or the
 * aggregate id ({@code a}); an aggregate covers the trades {@code firstTradeId..lastTradeId}, a
 * plain trade only itself. {@code buyerIsMaker} ({@code m}): the buyer's order rested in the book,
 * so the taker (the aggressor) sold.
 */
@DefaultCoder(TradeCoder.class)
public record Trade(
    String symbol,
    long tradeTime,
    long id,
    BigDecimal price,
    BigDecimal quantity,
    boolean buyerIsMaker,
    long eventTime,
    long firstTradeId,
    long lastTradeId)
    implements Serializable {

  /** A plain trade (not an aggregate), for tests and generators. */
  public static Trade of(String symbol, long tradeTime, long id, String price, String quantity,
      boolean buyerIsMaker) {
    return new Trade(symbol, tradeTime, id, new BigDecimal(price), new BigDecimal(quantity),
        buyerIsMaker, tradeTime, id, id);
  }

  /** How many exchange trades this record stands for: 1, or the size of the aggregate. */
  public long tradeCount() {
    return lastTradeId - firstTradeId + 1;
  }

  /** {@code price × quantity}, exact. */
  public BigDecimal quoteQuantity() {
    return price.multiply(quantity);
  }
}
