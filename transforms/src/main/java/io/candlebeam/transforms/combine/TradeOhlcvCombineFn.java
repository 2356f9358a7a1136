package io.candlebeam.transforms.combine;

import io.candlebeam.transforms.model.Trade;

/** Combines trades into a {@link TradeOhlcv}; the bar is made where window and pane are known. */
public final class TradeOhlcvCombineFn extends AccumulatorCombineFn<Trade, TradeOhlcv> {
  public TradeOhlcvCombineFn() {
    super(TradeOhlcv::new, TradeOhlcvCoder.of());
  }
}
