package io.candlebeam.transforms.combine;

import io.candlebeam.transforms.model.Trade;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.transforms.Combine.CombineFn;

/** Combines trades into a {@link TradeOhlcv}; the bar itself is made where window and pane are known. */
public final class TradeOhlcvCombineFn extends CombineFn<Trade, TradeOhlcv, TradeOhlcv> {
  @Override
  public TradeOhlcv createAccumulator() {
    return new TradeOhlcv();
  }

  @Override
  public TradeOhlcv addInput(TradeOhlcv acc, Trade trade) {
    return acc.add(trade);
  }

  @Override
  public TradeOhlcv mergeAccumulators(Iterable<TradeOhlcv> accumulators) {
    TradeOhlcv merged = null;
    for (TradeOhlcv a : accumulators) {
      merged = merged == null ? a : merged.merge(a);
    }
    return merged == null ? createAccumulator() : merged;
  }

  @Override
  public TradeOhlcv extractOutput(TradeOhlcv acc) {
    return acc;
  }

  @Override
  public Coder<TradeOhlcv> getAccumulatorCoder(CoderRegistry registry, Coder<Trade> input) {
    return TradeOhlcvCoder.of();
  }

  @Override
  public Coder<TradeOhlcv> getDefaultOutputCoder(CoderRegistry registry, Coder<Trade> input) {
    return TradeOhlcvCoder.of();
  }
}
