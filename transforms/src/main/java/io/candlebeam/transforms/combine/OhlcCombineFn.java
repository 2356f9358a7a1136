package io.candlebeam.transforms.combine;

import io.candlebeam.transforms.model.Tick;

/**
 * Combines ticks into an {@link OhlcAccumulator}; the candle itself (window, pane) is made by
 * {@link io.candlebeam.transforms.CombineCandles}, which knows the window and pane.
 */
public final class OhlcCombineFn extends AccumulatorCombineFn<Tick, OhlcAccumulator> {
  public OhlcCombineFn() {
    super(OhlcAccumulator::new, OhlcAccumulatorCoder.of());
  }
}
