package io.candlebeam.transforms.combine;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.VarIntCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.state.BagState;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.Combine.CombineFn;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.transforms.windowing.PaneInfo.Timing;
import org.apache.beam.sdk.transforms.windowing.Window.ClosingBehavior;
import org.apache.beam.sdk.transforms.windowing.Window.OnTimeBehavior;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.WindowingStrategy;
import org.apache.beam.sdk.values.WindowingStrategy.AccumulationMode;

/**
 * Turns the discarding panes of a shuffle back into the accumulating panes of the original
 * strategy: one running total per key and window, in state, merged with each pane's delta.
 *
 * <p>Why: the classic SparkRunner does not lift combiners, so an accumulating {@code GroupByKey}
 * keeps every input of a window (a partial per bundle, one per micro-batch) until the window
 * closes. A discarding one ({@link #deltasOf}) forgets its inputs at each firing, and this step
 * keeps one accumulator instead: state grows with keys × windows, not with micro-batches.
 *
 * <p>Panes keep their {@link PaneInfo} (a plain ParDo in the pane's own window), so what comes out
 * is what the accumulating combine gives. The discarding shuffle also fires a final pane when the
 * window expires, which clears the state (the SparkRunner has no cleanup timers for stateful
 * ParDos; Direct and Flink would clear it at the same time anyway):
 *
 * <pre>
 * pane in (a delta)                  | state              | out
 * -----------------------------------+--------------------+------------------------------------------
 * EARLY / ON_TIME / LATE, index i    | last index &lt; i   | total + delta, same pane (also with an
 *                                    |                    | empty delta, as the accumulating combine
 *                                    |                    | fires a pane with no new data)
 * final (window expired), empty      | any                | nothing, unless the original would fire
 *   delta                            |                    | it (FIRE_ALWAYS); state cleared
 * any, index i                       | last index ≥ i     | nothing: a re-fired pane (Spark streaming
 *                                    |                    | re-emits index 0 after a window's GC);
 *                                    |                    | counted in {@value CombinePerKeyAndWindow#EMPTY_PANES}
 * any, empty delta                   | none               | the empty delta, which EmitPanes drops
 *                                    |                    | and counts
 * any, index i                       | last index &lt; i-1 | nothing yet: held until the panes
 *                                    |                    | between have come, then merged in index
 *                                    |                    | order (the DirectRunner can deliver a
 *                                    |                    | window's panes out of order)
 * </pre>
 */
final class AccumulatePanes<K, A> extends DoFn<KV<K, A>, KV<K, A>> {
  private final Counter released =
      Metrics.counter("candlebeam", CombinePerKeyAndWindow.RUNNING_TOTALS_RELEASED);
  private final Counter refired = Metrics.counter("candlebeam", CombinePerKeyAndWindow.EMPTY_PANES);
  private final CombineFn<?, A, ?> combineFn;
  private final SerializableFunction<A, Boolean> isEmpty;
  private final boolean firesEmptyFinalPanes;
  private final boolean firesEmptyOnTimePanes;

  @StateId("total")
  private final StateSpec<ValueState<A>> totalSpec;

  @StateId("lastPane")
  private final StateSpec<ValueState<Long>> lastPaneSpec = StateSpecs.value(VarLongCoder.of());

  /** Panes that came ahead of a lower index: (index, (isLast | ON_TIME << 1, delta)). */
  @StateId("held")
  private final StateSpec<BagState<KV<Long, KV<Integer, A>>>> heldSpec;

  /** Sums the deltas of {@code combineFn} into the panes of {@code original}. */
  AccumulatePanes(CombineFn<?, A, ?> combineFn, Coder<A> accumulatorCoder,
      SerializableFunction<A, Boolean> isEmpty, WindowingStrategy<?, ?> original) {
    this.combineFn = combineFn;
    this.isEmpty = isEmpty;
    this.totalSpec = StateSpecs.value(accumulatorCoder);
    this.heldSpec = StateSpecs.bag(KvCoder.of(VarLongCoder.of(),
        KvCoder.of(VarIntCoder.of(), accumulatorCoder)));
    this.firesEmptyFinalPanes = original.getClosingBehavior() == ClosingBehavior.FIRE_ALWAYS;
    this.firesEmptyOnTimePanes = original.getOnTimeBehavior() == OnTimeBehavior.FIRE_ALWAYS;
  }

  /**
   * The shuffle's strategy for {@code original}: discarding, and firing a final pane when a window
   * expires, so this step knows when to clear it.
   */
  static WindowingStrategy<?, ?> deltasOf(WindowingStrategy<?, ?> original) {
    return original.withMode(AccumulationMode.DISCARDING_FIRED_PANES)
        .withClosingBehavior(ClosingBehavior.FIRE_ALWAYS);
  }

  @ProcessElement
  public void process(@Element KV<K, A> delta, PaneInfo pane,
      @StateId("total") ValueState<A> total, @StateId("lastPane") ValueState<Long> lastPane,
      @StateId("held") BagState<KV<Long, KV<Integer, A>>> held,
      OutputReceiver<KV<K, A>> out) {
    Long last = lastPane.read();
    long index = pane.getIndex();
    if (last != null && index <= last) {
      refired.inc();
      return;
    }
    if (last != null && index > last + 1) {
      // Ahead of a pane not yet seen (the DirectRunner does not keep panes in order across
      // bundles): held until the gap is filled, so no delta is merged out of turn and the
      // closing pane cannot clear a total that a pane still to come needs.
      held.add(KV.of(index, KV.of(flags(pane.isLast(), pane.getTiming()), delta.getValue())));
      return;
    }
    boolean open = merge(delta.getKey(), delta.getValue(), pane.isLast(), pane.getTiming(), index,
        total, lastPane, out);
    List<KV<Long, KV<Integer, A>>> waiting = new ArrayList<>();
    held.read().forEach(waiting::add);
    if (waiting.isEmpty()) {
      return;
    }
    held.clear();
    waiting.sort(Comparator.comparing(KV::getKey));
    long next = index + 1;
    for (KV<Long, KV<Integer, A>> h : waiting) {
      if (open && h.getKey() == next) { // emitted under the current element's pane
        int f = h.getValue().getKey();
        open = merge(delta.getKey(), h.getValue().getValue(), (f & 1) != 0,
            (f & 2) != 0 ? Timing.ON_TIME : Timing.LATE, next, total, lastPane, out);
        next++;
      } else if (open) {
        held.add(h);
      }
    }
  }

  private static int flags(boolean isLast, Timing timing) {
    return (isLast ? 1 : 0) | (timing == Timing.ON_TIME ? 2 : 0);
  }

  /** Merges one delta in pane order; false once the window's closing pane cleared the state. */
  private boolean merge(K key, A delta, boolean isLast, Timing timing, long index,
      ValueState<A> total, ValueState<Long> lastPane, OutputReceiver<KV<K, A>> out) {
    A before = total.read();
    boolean empty = isEmpty.apply(delta);
    if (isLast) {
      released.inc();
      total.clear();
      lastPane.clear();
      if (empty && !firesEmptyFinalPanes
          && !(timing == Timing.ON_TIME && firesEmptyOnTimePanes)) {
        return false;
      }
    } else if (before != null || !empty) {
      lastPane.write(index);
    }
    if (before == null && empty) {
      out.output(KV.of(key, delta));
      return !isLast;
    }
    // A fresh accumulator first: merging may update its first argument in place, and neither the
    // state's value nor the input may change once seen or emitted.
    A now = before == null
        ? combineFn.mergeAccumulators(List.of(combineFn.createAccumulator(), delta))
        : combineFn.mergeAccumulators(List.of(combineFn.createAccumulator(), before, delta));
    if (!isLast) {
      total.write(now);
    }
    out.output(KV.of(key, now));
    return !isLast;
  }
}
