package io.candlebeam.transforms.combine;

import java.util.Collection;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.transforms.windowing.WindowFn;
import org.apache.beam.sdk.transforms.windowing.WindowMappingFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.WindowingStrategy;
import org.apache.beam.sdk.values.WindowingStrategy.AccumulationMode;

/**
 * Puts each keyed {@link PartialInWindow} into the window it carries; merges, encodes and compares
 * windows as the original window function does, so sessions still merge in the shuffle.
 */
public final class IntoCarriedWindows<K, A, W extends BoundedWindow>
    extends WindowFn<KV<K, PartialInWindow<A>>, W> {
  private final WindowFn<?, W> original;

  public IntoCarriedWindows(WindowFn<?, W> original) {
    this.original = original;
  }

  /** {@code Window.into(this)}, with the trigger, lateness and accumulation of {@code strategy}. */
  @SuppressWarnings("unchecked")
  public static <K, A> Window<KV<K, PartialInWindow<A>>> as(WindowingStrategy<?, ?> strategy) {
    Window<KV<K, PartialInWindow<A>>> window =
        Window.<KV<K, PartialInWindow<A>>>into(
                new IntoCarriedWindows<K, A, BoundedWindow>(
                    (WindowFn<?, BoundedWindow>) strategy.getWindowFn()))
            .triggering(strategy.getTrigger())
            .withAllowedLateness(strategy.getAllowedLateness(), strategy.getClosingBehavior())
            .withOnTimeBehavior(strategy.getOnTimeBehavior())
            .withTimestampCombiner(strategy.getTimestampCombiner());
    return strategy.getMode() == AccumulationMode.ACCUMULATING_FIRED_PANES
        ? window.accumulatingFiredPanes()
        : window.discardingFiredPanes();
  }

  @Override
  @SuppressWarnings("unchecked")
  public Collection<W> assignWindows(AssignContext c) {
    return List.of((W) c.element().getValue().window());
  }

  @Override
  @SuppressWarnings("unchecked")
  public void mergeWindows(MergeContext c) throws Exception {
    WindowFn<Object, W> fn = (WindowFn<Object, W>) original;
    fn.mergeWindows(fn.new MergeContext() {
      @Override
      public Collection<W> windows() {
        return c.windows();
      }

      @Override
      public void merge(Collection<W> toBeMerged, W mergeResult) throws Exception {
        c.merge(toBeMerged, mergeResult);
      }
    });
  }

  @Override
  public boolean isNonMerging() {
    return original.isNonMerging();
  }

  @Override
  public boolean isCompatible(WindowFn<?, ?> other) {
    return other instanceof IntoCarriedWindows<?, ?, ?> o && original.isCompatible(o.original);
  }

  @Override
  public Coder<W> windowCoder() {
    return original.windowCoder();
  }

  @Override
  public WindowMappingFn<W> getDefaultWindowMappingFn() {
    throw new UnsupportedOperationException("partials are not a side input");
  }

  @Override
  public boolean assignsToOneWindow() {
    return true;
  }
}
