package io.candlebeam.transforms.words;

import io.candlebeam.transforms.combine.CombinePerKeyAndWindow;
import io.candlebeam.transforms.window.AssignWindows;
import io.candlebeam.transforms.window.WindowBounds;
import io.candlebeam.transforms.window.Windowing;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.transforms.Combine.CombineFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;

/**
 * Counts words per window with the same windowing ({@link AssignWindows}) and combine ({@link
 * CombinePerKeyAndWindow}) as the candles: the transforms are generic over the record type.
 */
public final class CountWords extends PTransform<PCollection<WordEvent>, PCollection<WordCount>> {
  private final Windowing windowing;

  public CountWords(Windowing windowing) {
    this.windowing = windowing;
  }

  @Override
  public PCollection<WordCount> expand(PCollection<WordEvent> events) {
    return events
        .apply("AssignWindows", AssignWindows.of(windowing, WordEvent::word))
        .apply("Count", CombinePerKeyAndWindow
            .perKey(WordEvent::word, StringUtf8Coder.of(), new CountFn<WordEvent>())
            .skippingEmpty(count -> count == 0)
            .emitting((word, count, window, pane) -> new WordCount(word, count,
                WindowBounds.start(window), WindowBounds.end(window), pane.getTiming().name(),
                pane.getIndex()), SerializableCoder.of(WordCount.class)));
  }

  /** Counts elements. */
  static final class CountFn<T> extends CombineFn<T, Long, Long> {
    @Override
    public Long createAccumulator() {
      return 0L;
    }

    @Override
    public Long addInput(Long count, T element) {
      return count + 1;
    }

    @Override
    public Long mergeAccumulators(Iterable<Long> counts) {
      long sum = 0;
      for (long c : counts) {
        sum += c;
      }
      return sum;
    }

    @Override
    public Long extractOutput(Long count) {
      return count;
    }

    @Override
    public Coder<Long> getAccumulatorCoder(CoderRegistry registry, Coder<T> input) {
      return VarLongCoder.of();
    }
  }
}
