package io.candlebeam.transforms.combine;

import java.util.Collection;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.NonMergingWindowFn;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.transforms.windowing.WindowFn;
import org.apache.beam.sdk.transforms.windowing.WindowMappingFn;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.WindowingStrategy;
import org.apache.beam.sdk.values.WindowingStrategy.AccumulationMode;

/**
 * Puts each keyed {@link PartialInWindow} into the window it carries; merges, encodes and compares
 * windows as the original window function does, so sessions still merge in the shuffle. For a
 * non-merging original it is a {@link NonMergingWindowFn}, which a stateful step after the shuffle
 * needs (runners reject state under a merging window function).
 */
public final class IntoCarriedWindows {
  private IntoCarriedWindows() {}

  /** {@code Window.into} the carried windows, with the trigger, lateness and accumulation of {@code strategy}. */
  @SuppressWarnings("unchecked")
  public static <K, A> Window<KV<K, PartialInWindow<A>>> as(WindowingStrategy<?, ?> strategy) {
    WindowFn<?, BoundedWindow> original = (WindowFn<?, BoundedWindow>) strategy.getWindowFn();
    WindowFn<KV<K, PartialInWindow<A>>, BoundedWindow> fn = original.isNonMerging()
        ? new NonMerging<>(original)
        : new Merging<>(original);
    Window<KV<K, PartialInWindow<A>>> window =
        Window.into(fn)
            .triggering(strategy.getTrigger())
            .withAllowedLateness(strategy.getAllowedLateness(), strategy.getClosingBehavior())
            .withOnTimeBehavior(strategy.getOnTimeBehavior())
            .withTimestampCombiner(strategy.getTimestampCombiner());
    return strategy.getMode() == AccumulationMode.ACCUMULATING_FIRED_PANES
        ? window.accumulatingFiredPanes()
        : window.discardingFiredPanes();
  }

  @SuppressWarnings("unchecked")
  private static <W extends BoundedWindow> Collection<W> carried(Object element) {
    return List.of((W) ((KV<?, PartialInWindow<?>>) element).getValue().window());
  }

  private static final class NonMerging<K, A, W extends BoundedWindow>
      extends NonMergingWindowFn<KV<K, PartialInWindow<A>>, W> {
    private final WindowFn<?, W> original;

    NonMerging(WindowFn<?, W> original) {
      this.original = original;
    }

    @Override
    public Collection<W> assignWindows(AssignContext c) {
      return carried(c.element());
    }

    @Override
    public boolean isCompatible(WindowFn<?, ?> other) {
      return other instanceof NonMerging<?, ?, ?> o && original.isCompatible(o.original);
    }

    @Override
    public Coder<W> windowCoder() {
      return original.windowCoder();
    }

    @Override
    public WindowMappingFn<W> getDefaultWindowMappingFn() {
      throw new UnsupportedOperationException("partials are not a side input");
    }
  }

  private static final class Merging<K, A, W extends BoundedWindow>
      extends WindowFn<KV<K, PartialInWindow<A>>, W> {
    private final WindowFn<?, W> original;

    Merging(WindowFn<?, W> original) {
      this.original = original;
    }

    @Override
    public Collection<W> assignWindows(AssignContext c) {
      return carried(c.element());
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
    public boolean isCompatible(WindowFn<?, ?> other) {
      return other instanceof Merging<?, ?, ?> o && original.isCompatible(o.original);
    }

    @Override
    public Coder<W> windowCoder() {
      return original.windowCoder();
    }

    @Override
    public WindowMappingFn<W> getDefaultWindowMappingFn() {
      throw new UnsupportedOperationException("partials are not a side input");
    }
  }
}
