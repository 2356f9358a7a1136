package io.candlebeam.transforms.parse;

import io.candlebeam.transforms.model.DeadLetter;
import io.candlebeam.transforms.model.RawRecord;
import java.io.Serializable;
import java.util.function.Consumer;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * One raw record through a {@link RecordParser}, for use inside a DoFn: the value, or a {@link
 * DeadLetter} (raw payload, origin, reason, and the stack of unexpected errors) handed to the
 * failures. Counts both, as {@value ParseRecords#PARSED} and {@value ParseRecords#DEAD_LETTERS}.
 */
public final class ParseAttempt<T> implements Serializable {
  private final Counter parsed = Metrics.counter(ParseRecords.NAMESPACE, ParseRecords.PARSED);
  private final Counter deadLetters =
      Metrics.counter(ParseRecords.NAMESPACE, ParseRecords.DEAD_LETTERS);
  private final RecordParser<T> parser;
  private final String step;

  /** {@code step} names the step in dead letters (e.g. "parse-tick"). */
  public ParseAttempt(RecordParser<T> parser, String step) {
    this.parser = parser;
    this.step = step;
  }

  /** The parsed value, or null after handing a dead letter to {@code failures}. */
  public @Nullable T parse(RawRecord record, Consumer<DeadLetter> failures) {
    Outcome<T> outcome = outcome(parser, record.payload());
    if (outcome.error() != null) {
      deadLetters.inc();
      failures.accept(DeadLetter.of(record, step, outcome.error()));
      return null;
    }
    parsed.inc();
    return outcome.value();
  }

  /** Whether {@code parser} accepts {@code payload}; counts nothing. */
  public static boolean accepts(RecordParser<?> parser, String payload) {
    return outcome(parser, payload).error() == null;
  }

  private record Outcome<T>(@Nullable T value, @Nullable Exception error) {}

  private static <T> Outcome<T> outcome(RecordParser<T> parser, String payload) {
    try {
      return new Outcome<>(parser.parse(payload), null);
    } catch (MalformedRecordException | RuntimeException e) {
      return new Outcome<>(null, e);
    }
  }
}
