package io.candlebeam.transforms.combine;

import java.io.Serializable;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.transforms.Combine.CombineFn;

/**
 * A {@link CombineFn} over a mutable, mergeable accumulator that is also the output (the candle is
 * made where window and pane are known, see {@code CombineCandles}): {@link OhlcCombineFn} for
 * ticks, {@link TradeOhlcvCombineFn} for trades.
 */
public class AccumulatorCombineFn<T, A extends AccumulatorCombineFn.Accumulator<T, A>>
    extends CombineFn<T, A, A> {
  /** Folds an input in, or another accumulator (left unchanged); returns itself. */
  public interface Accumulator<T, A> {
    A add(T input);

    A merge(A other);
  }

  /** Makes an empty accumulator. */
  @FunctionalInterface
  public interface Factory<A> extends Serializable {
    A create();
  }

  private final Factory<A> factory;
  private final Coder<A> coder;

  protected AccumulatorCombineFn(Factory<A> factory, Coder<A> coder) {
    this.factory = factory;
    this.coder = coder;
  }

  @Override
  public A createAccumulator() {
    return factory.create();
  }

  @Override
  public A addInput(A acc, T input) {
    return acc.add(input);
  }

  @Override
  public A mergeAccumulators(Iterable<A> accumulators) {
    A merged = null;
    for (A a : accumulators) {
      merged = merged == null ? a : merged.merge(a);
    }
    return merged == null ? createAccumulator() : merged;
  }

  @Override
  public A extractOutput(A acc) {
    return acc;
  }

  @Override
  public Coder<A> getAccumulatorCoder(CoderRegistry registry, Coder<T> input) {
    return coder;
  }

  @Override
  public Coder<A> getDefaultOutputCoder(CoderRegistry registry, Coder<T> input) {
    return coder;
  }
}
