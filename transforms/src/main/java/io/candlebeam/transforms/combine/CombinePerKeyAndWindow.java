package io.candlebeam.transforms.combine;

import java.io.Serializable;
import java.util.List;
import org.apache.beam.sdk.coders.CannotProvideCoderException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Combine;
import org.apache.beam.sdk.transforms.Combine.CombineFn;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.transforms.windowing.PaneInfo.Timing;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.WindowingStrategy;
import org.apache.beam.sdk.values.WindowingStrategy.AccumulationMode;
import org.joda.time.Instant;

/**
 * Combines the elements of each key and window with a {@link CombineFn}, and turns each fired pane
 * into an output value that knows its window and pane. Generic over the element type.
 *
 * <p>Why not a bare {@code Combine.perKey}: Beam's classic SparkRunner does not lift combiners in
 * streaming mode, so a {@code Combine.perKey} keeps every raw element of a window in Spark state
 * until the window closes — a day of ticks per symbol. This transform first combines within each
 * bundle (a DoFn keyed by key and window, flushed at {@code @FinishBundle}), so what reaches the
 * shuffle is at most one partial accumulator per key, window and bundle (a bundle is one
 * partition of one micro-batch). For unbounded input in non-merging windows the shuffle then fires
 * discarding panes, and {@link AccumulatePanes} keeps one running total per key and window, so
 * Spark's state does not grow with micro-batches either. It does the same on every runner; where
 * the runner lifts combiners (Direct, Flink) the shuffle sees fewer elements still. For merging windows
 * (sessions) the partials of one bundle whose windows intersect are merged into their union, as the
 * runner's merge would.
 *
 * <p>Panes whose accumulator is empty are dropped and counted ({@value #EMPTY_PANES}): Spark
 * streaming re-fires empty ON_TIME panes after a window is garbage-collected, and they must not
 * reach any sink. Pane timing {@code UNKNOWN} (Flink batch) is reported as ON_TIME for bounded
 * input, where each window fires once when the input is exhausted.
 */
public final class CombinePerKeyAndWindow<T, K, A, O>
    extends PTransform<PCollection<T>, PCollection<O>> {
  public static final String EMPTY_PANES = "empty_panes_suppressed";
  /** Elements into the in-bundle combine, partials out of it, and bundles that emitted any. */
  public static final String PRECOMBINE_INPUTS = "precombine_inputs";
  public static final String PRECOMBINE_PARTIALS = "precombine_partials";
  public static final String PRECOMBINE_BUNDLES = "precombine_bundles";
  /** Running totals ({@link AccumulatePanes}) dropped from state because their window expired. */
  public static final String RUNNING_TOTALS_RELEASED = "running_totals_released";

  /** Makes the output value of one fired pane. */
  @FunctionalInterface
  public interface PaneFormatter<K, A, O> extends Serializable {
    O format(K key, A accumulator, BoundedWindow window, PaneInfo pane);
  }

  private final SerializableFunction<T, K> keyFn;
  private final Coder<K> keyCoder;
  private final CombineFn<T, A, ?> combineFn;
  private final SerializableFunction<A, Boolean> isEmpty;
  private final PaneFormatter<K, A, O> formatter;
  private final Coder<O> outputCoder;

  /**
   * Starts a combine per key and window: {@code CombinePerKeyAndWindow.perKey(keyFn, keyCoder,
   * combineFn).skippingEmpty(isEmpty).emitting(formatter, outputCoder)}.
   */
  public static <T, K, A> Builder<T, K, A> perKey(SerializableFunction<T, K> keyFn,
      Coder<K> keyCoder, CombineFn<T, A, ?> combineFn) {
    return new Builder<>(keyFn, keyCoder, combineFn, a -> false);
  }

  /** The key and the combine chosen; next what an empty accumulator is, and the output. */
  public static final class Builder<T, K, A> {
    private final SerializableFunction<T, K> keyFn;
    private final Coder<K> keyCoder;
    private final CombineFn<T, A, ?> combineFn;
    private final SerializableFunction<A, Boolean> isEmpty;

    private Builder(SerializableFunction<T, K> keyFn, Coder<K> keyCoder,
        CombineFn<T, A, ?> combineFn, SerializableFunction<A, Boolean> isEmpty) {
      this.keyFn = keyFn;
      this.keyCoder = keyCoder;
      this.combineFn = combineFn;
      this.isEmpty = isEmpty;
    }

    /** Panes whose accumulator is empty (nothing new) are not emitted, and are counted. */
    public Builder<T, K, A> skippingEmpty(SerializableFunction<A, Boolean> empty) {
      return new Builder<>(keyFn, keyCoder, combineFn, empty);
    }

    /** Each fired pane becomes {@code formatter}'s value, encoded with {@code outputCoder}. */
    public <O> CombinePerKeyAndWindow<T, K, A, O> emitting(PaneFormatter<K, A, O> formatter,
        Coder<O> outputCoder) {
      return new CombinePerKeyAndWindow<>(keyFn, keyCoder, combineFn, isEmpty, formatter,
          outputCoder);
    }
  }

  private CombinePerKeyAndWindow(
      SerializableFunction<T, K> keyFn,
      Coder<K> keyCoder,
      CombineFn<T, A, ?> combineFn,
      SerializableFunction<A, Boolean> isEmpty,
      PaneFormatter<K, A, O> formatter,
      Coder<O> outputCoder) {
    this.keyFn = keyFn;
    this.keyCoder = keyCoder;
    this.combineFn = combineFn;
    this.isEmpty = isEmpty;
    this.formatter = formatter;
    this.outputCoder = outputCoder;
  }

  @Override
  public PCollection<O> expand(PCollection<T> input) {
    boolean merging = !input.getWindowingStrategy().getWindowFn().isNonMerging();
    PCollection<KV<K, PartialInWindow<A>>> partials = input
        .apply("CombineWithinBundle", ParDo.of(new CombineWithinBundle<>(keyFn, bundleCombiner(merging))));
    return combinePartials(partials, input.getWindowingStrategy(), input.getCoder());
  }

  /** The in-bundle half, for a DoFn that assigns windows itself (see {@link BundleCombiner}). */
  public BundleCombiner<T, K, A> bundleCombiner(boolean mergingWindows) {
    return new BundleCombiner<>(combineFn, mergingWindows);
  }

  /**
   * The second half: partial accumulators, each carrying its window → into those windows, with the
   * trigger, lateness and accumulation of {@code strategy} → one merged accumulator per key, window
   * and pane → output values. For unbounded input in non-merging windows an accumulating strategy
   * is run as a discarding shuffle plus {@link AccumulatePanes}, which keeps one running total per
   * key and window: the same panes, without a shuffle state that grows with every micro-batch on
   * runners that do not lift combiners (Spark).
   */
  public PCollection<O> combinePartials(PCollection<KV<K, PartialInWindow<A>>> partials,
      WindowingStrategy<?, ?> strategy, Coder<T> elementCoder) {
    Coder<A> accumulatorCoder = accumulatorCoder(partials.getPipeline().getCoderRegistry(), elementCoder);
    boolean bounded = partials.isBounded() == PCollection.IsBounded.BOUNDED;
    boolean runningTotal = !bounded && strategy.getWindowFn().isNonMerging()
        && strategy.getMode() == AccumulationMode.ACCUMULATING_FIRED_PANES;
    PCollection<KV<K, A>> panes = partials
        .setCoder(KvCoder.of(keyCoder, new PartialInWindow.PartialInWindowCoder<>(
            accumulatorCoder, strategy.getWindowFn().windowCoder())))
        .apply("IntoTheirWindows", IntoCarriedWindows.<K, A>as(runningTotal
            ? AccumulatePanes.deltasOf(strategy) : strategy))
        .apply("CombinePartials", Combine.perKey(new MergePartials<>(combineFn, accumulatorCoder)));
    if (runningTotal) {
      panes = panes
          .apply("AccumulatePanes",
              ParDo.of(new AccumulatePanes<>(combineFn, accumulatorCoder, isEmpty, strategy)))
          .setCoder(KvCoder.of(keyCoder, accumulatorCoder));
    }
    return panes
        .apply("EmitPanes", ParDo.of(new EmitPanes<>(isEmpty, formatter, bounded)))
        .setCoder(outputCoder);
  }

  /** The coder of the accumulators, as the combine function gives it for {@code elementCoder}. */
  private Coder<A> accumulatorCoder(CoderRegistry registry, Coder<T> elementCoder) {
    try {
      return combineFn.getAccumulatorCoder(registry, elementCoder);
    } catch (CannotProvideCoderException e) {
      throw new IllegalArgumentException("no coder for the accumulator of " + combineFn, e);
    }
  }

  /** Partial accumulators of one bundle, keyed by (key, window), flushed at bundle end. */
  private static final class CombineWithinBundle<T, K, A>
      extends DoFn<T, KV<K, PartialInWindow<A>>> {
    private final SerializableFunction<T, K> keyFn;
    private final BundleCombiner<T, K, A> combiner;

    CombineWithinBundle(SerializableFunction<T, K> keyFn, BundleCombiner<T, K, A> combiner) {
      this.keyFn = keyFn;
      this.combiner = combiner;
    }

    @StartBundle
    public void startBundle() {
      combiner.start();
    }

    @ProcessElement
    public void process(@Element T element, @Timestamp Instant timestamp, BoundedWindow window) {
      combiner.add(keyFn.apply(element), element, timestamp, window);
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext context) {
      combiner.finish((partial, time) ->
          context.output(partial, time, partial.getValue().window()));
    }
  }

  /** Combines partial accumulators into one: the second stage of a lifted combine. */
  private static final class MergePartials<T, A> extends CombineFn<PartialInWindow<A>, A, A> {
    private final CombineFn<T, A, ?> fn;
    private final Coder<A> coder;

    MergePartials(CombineFn<T, A, ?> fn, Coder<A> coder) {
      this.fn = fn;
      this.coder = coder;
    }

    @Override
    public A createAccumulator() {
      return fn.createAccumulator();
    }

    @Override
    public A addInput(A accumulator, PartialInWindow<A> partial) {
      return fn.mergeAccumulators(List.of(accumulator, partial.accumulator()));
    }

    @Override
    public A mergeAccumulators(Iterable<A> accumulators) {
      return fn.mergeAccumulators(accumulators);
    }

    @Override
    public A extractOutput(A accumulator) {
      return accumulator;
    }

    @Override
    public Coder<A> getAccumulatorCoder(
        CoderRegistry registry, Coder<PartialInWindow<A>> inputCoder) {
      return coder;
    }

    @Override
    public Coder<A> getDefaultOutputCoder(
        CoderRegistry registry, Coder<PartialInWindow<A>> inputCoder) {
      return coder;
    }
  }

  /** Formats each non-empty fired pane; counts panes by timing. */
  private static final class EmitPanes<K, A, O> extends DoFn<KV<K, A>, O> {
    private final Counter early = Metrics.counter("candlebeam", "panes_EARLY");
    private final Counter onTime = Metrics.counter("candlebeam", "panes_ON_TIME");
    private final Counter late = Metrics.counter("candlebeam", "panes_LATE");
    private final Counter empty = Metrics.counter("candlebeam", EMPTY_PANES);
    private final SerializableFunction<A, Boolean> isEmpty;
    private final PaneFormatter<K, A, O> formatter;
    private final boolean bounded;

    EmitPanes(SerializableFunction<A, Boolean> isEmpty, PaneFormatter<K, A, O> f, boolean bounded) {
      this.isEmpty = isEmpty;
      this.formatter = f;
      this.bounded = bounded;
    }

    @ProcessElement
    public void process(
        @Element KV<K, A> kv, BoundedWindow window, PaneInfo pane, OutputReceiver<O> out) {
      if (isEmpty.apply(kv.getValue())) {
        empty.inc();
        return;
      }
      if (pane.getTiming() == Timing.UNKNOWN && bounded) {
        pane = PaneInfo.createPane(pane.isFirst(), pane.isLast(), Timing.ON_TIME, pane.getIndex(), 0);
      }
      switch (pane.getTiming()) {
        case EARLY -> early.inc();
        case LATE -> late.inc();
        default -> onTime.inc();
      }
      out.output(formatter.format(kv.getKey(), kv.getValue(), window, pane));
    }
  }
}
