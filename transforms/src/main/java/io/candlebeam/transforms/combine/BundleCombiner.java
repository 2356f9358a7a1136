package io.candlebeam.transforms.combine;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.Combine.CombineFn;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.values.KV;
import org.joda.time.Instant;

/**
 * The in-bundle half of a lifted combine, for use inside a DoFn: one partial accumulator per key
 * and window of the current bundle, handed out at the bundle's end. Call {@link #start} at
 * {@code @StartBundle}, {@link #add} per element, {@link #finish} at {@code @FinishBundle}.
 *
 * <p>For merging windows (sessions) the partials of one key whose windows intersect are merged into
 * their union, as the runner's merge would. Counts elements in ({@value
 * CombinePerKeyAndWindow#PRECOMBINE_INPUTS}), partials out ({@value
 * CombinePerKeyAndWindow#PRECOMBINE_PARTIALS}) and bundles that emitted any ({@value
 * CombinePerKeyAndWindow#PRECOMBINE_BUNDLES}).
 */
public final class BundleCombiner<T, K, A> implements Serializable {
  /** Receives one partial: its key, accumulator and window, and its earliest element timestamp. */
  @FunctionalInterface
  public interface Emitter<K, A> {
    void emit(KV<K, PartialInWindow<A>> partial, Instant timestamp);
  }

  /** The larger windows a partial's window rolls up into, at the bundle's end. */
  @FunctionalInterface
  public interface RollUp extends Serializable {
    List<? extends BoundedWindow> largerWindowsOf(BoundedWindow window);
  }

  private final CombineFn<T, A, ?> combineFn;
  private final boolean merging;
  private final RollUp rollUp;
  private final Counter inputs =
      Metrics.counter("candlebeam", CombinePerKeyAndWindow.PRECOMBINE_INPUTS);
  private final Counter outputs =
      Metrics.counter("candlebeam", CombinePerKeyAndWindow.PRECOMBINE_PARTIALS);
  private final Counter bundles =
      Metrics.counter("candlebeam", CombinePerKeyAndWindow.PRECOMBINE_BUNDLES);
  private transient Map<KV<K, BoundedWindow>, Partial<A>> partials;

  public BundleCombiner(CombineFn<T, A, ?> combineFn, boolean merging) {
    this(combineFn, merging, null);
  }

  private BundleCombiner(CombineFn<T, A, ?> combineFn, boolean merging, RollUp rollUp) {
    this.combineFn = combineFn;
    this.merging = merging;
    this.rollUp = rollUp;
  }

  /**
   * Elements are added to their smallest window only; at the bundle's end each partial is also
   * merged into the partials of {@code rollUp}'s larger windows: one accumulator update per
   * element instead of one per window (several timeframes, see {@code Timeframes#nests}).
   */
  public BundleCombiner<T, K, A> rollingUp(RollUp rollUp) {
    return new BundleCombiner<>(combineFn, merging, rollUp);
  }

  public void start() {
    partials = new HashMap<>();
  }

  public void add(K key, T element, Instant timestamp, BoundedWindow window) {
    Partial<A> partial = partials.computeIfAbsent(
        KV.of(key, window), k -> new Partial<>(window, combineFn.createAccumulator(), timestamp));
    partial.accumulator = combineFn.addInput(partial.accumulator, element);
    inputs.inc();
    partial.earliest = partial.earliest.isBefore(timestamp) ? partial.earliest : timestamp;
  }

  public void finish(Emitter<K, A> emitter) {
    if (rollUp != null) {
      rollUp();
    }
    Map<K, List<Partial<A>>> byKey = new HashMap<>();
    partials.forEach((kw, p) -> byKey.computeIfAbsent(kw.getKey(), k -> new ArrayList<>()).add(p));
    byKey.forEach((key, list) -> {
      for (Partial<A> p : merging ? mergeIntersecting(list) : list) {
        emitter.emit(KV.of(key, new PartialInWindow<>(p.accumulator, p.window)), p.earliest);
        outputs.inc();
      }
    });
    if (!partials.isEmpty()) {
      bundles.inc();
    }
    partials = null;
  }

  /** Merges each partial into the partials of its larger windows (new accumulators). */
  private void rollUp() {
    List<Map.Entry<KV<K, BoundedWindow>, Partial<A>>> smallest = new ArrayList<>(partials.entrySet());
    for (Map.Entry<KV<K, BoundedWindow>, Partial<A>> e : smallest) {
      Partial<A> small = e.getValue();
      for (BoundedWindow larger : rollUp.largerWindowsOf(small.window)) {
        Partial<A> big = partials.computeIfAbsent(KV.of(e.getKey().getKey(), larger),
            k -> new Partial<>(larger, combineFn.createAccumulator(), small.earliest));
        big.accumulator = combineFn.mergeAccumulators(List.of(big.accumulator, small.accumulator));
        big.earliest = big.earliest.isBefore(small.earliest) ? big.earliest : small.earliest;
      }
    }
  }

  /** Merges partials whose interval windows intersect, as the runner's session merge would. */
  private List<Partial<A>> mergeIntersecting(List<Partial<A>> list) {
    if (!list.stream().allMatch(p -> p.window instanceof IntervalWindow)) {
      return list;
    }
    list.sort(Comparator.comparing(p -> ((IntervalWindow) p.window).start()));
    List<Partial<A>> merged = new ArrayList<>();
    Partial<A> current = null;
    for (Partial<A> p : list) {
      IntervalWindow w = (IntervalWindow) p.window;
      if (current != null && ((IntervalWindow) current.window).intersects(w)) {
        current.window = ((IntervalWindow) current.window).span(w);
        current.accumulator = combineFn.mergeAccumulators(List.of(current.accumulator, p.accumulator));
        current.earliest = current.earliest.isBefore(p.earliest) ? current.earliest : p.earliest;
      } else {
        current = p;
        merged.add(p);
      }
    }
    return merged;
  }

  private static final class Partial<A> {
    BoundedWindow window;
    A accumulator;
    Instant earliest;

    Partial(BoundedWindow window, A accumulator, Instant earliest) {
      this.window = window;
      this.accumulator = accumulator;
      this.earliest = earliest;
    }
  }
}
