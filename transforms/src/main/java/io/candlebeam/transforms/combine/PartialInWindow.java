package io.candlebeam.transforms.combine;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.StructuredCoder;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;

/**
 * A partial accumulator and the window it belongs to, carried in the element itself: a DoFn that
 * assigns windows on its own (see {@code ParseAndCalculateCandles}) must emit in its input's
 * window, since Flink encodes every output of a DoFn with its input's window coder. {@link
 * IntoCarriedWindows} then puts each partial into its window.
 */
public record PartialInWindow<A>(A accumulator, BoundedWindow window) {

  /** Encodes the accumulator, then the window. */
  public static final class PartialInWindowCoder<A> extends StructuredCoder<PartialInWindow<A>> {
    private final Coder<A> accumulatorCoder;
    private final Coder<BoundedWindow> windowCoder;

    @SuppressWarnings("unchecked")
    public PartialInWindowCoder(Coder<A> accumulatorCoder,
        Coder<? extends BoundedWindow> windowCoder) {
      this.accumulatorCoder = accumulatorCoder;
      this.windowCoder = (Coder<BoundedWindow>) windowCoder;
    }

    @Override
    public void encode(PartialInWindow<A> value, OutputStream out) throws IOException {
      accumulatorCoder.encode(value.accumulator(), out);
      windowCoder.encode(value.window(), out);
    }

    @Override
    public PartialInWindow<A> decode(InputStream in) throws IOException {
      return new PartialInWindow<>(accumulatorCoder.decode(in), windowCoder.decode(in));
    }

    @Override
    public List<? extends Coder<?>> getCoderArguments() {
      return List.of(accumulatorCoder, windowCoder);
    }

    @Override
    public void verifyDeterministic() throws NonDeterministicException {
      verifyDeterministic(this, "accumulator", accumulatorCoder);
      verifyDeterministic(this, "window", windowCoder);
    }
  }
}
