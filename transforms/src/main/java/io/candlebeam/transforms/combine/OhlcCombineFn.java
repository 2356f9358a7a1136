package io.candlebeam.transforms.combine;

import io.candlebeam.transforms.model.Tick;
import org.apache.beam.sdk.coders.CannotProvideCoderException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.transforms.Combine.CombineFn;

/**
 * Combines ticks into an {@link OhlcAccumulator}; the candle itself (window, pane) is made by
 * {@link io.candlebeam.transforms.CombineCandles}, which knows the window and pane.
 */
public final class OhlcCombineFn extends CombineFn<Tick, OhlcAccumulator, OhlcAccumulator> {
  @Override
  public OhlcAccumulator createAccumulator() {
    return new OhlcAccumulator();
  }

  @Override
  public OhlcAccumulator addInput(OhlcAccumulator acc, Tick tick) {
    return acc.add(tick);
  }

  @Override
  public OhlcAccumulator mergeAccumulators(Iterable<OhlcAccumulator> accumulators) {
    OhlcAccumulator merged = null;
    for (OhlcAccumulator a : accumulators) {
      merged = merged == null ? a : merged.merge(a);
    }
    return merged == null ? createAccumulator() : merged;
  }

  @Override
  public OhlcAccumulator extractOutput(OhlcAccumulator acc) {
    return acc;
  }

  @Override
  public Coder<OhlcAccumulator> getAccumulatorCoder(CoderRegistry registry, Coder<Tick> input)
      throws CannotProvideCoderException {
    return OhlcAccumulatorCoder.of();
  }

  @Override
  public Coder<OhlcAccumulator> getDefaultOutputCoder(CoderRegistry registry, Coder<Tick> input) {
    return OhlcAccumulatorCoder.of();
  }
}
