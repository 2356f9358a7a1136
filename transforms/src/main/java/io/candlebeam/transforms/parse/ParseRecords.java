package io.candlebeam.transforms.parse;

import io.candlebeam.transforms.model.DeadLetter;
import io.candlebeam.transforms.model.DeadLetterCoder;
import io.candlebeam.transforms.model.RawRecord;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * Parses raw records with a {@link RecordParser}: what parses goes to {@link
 * WithFailures.Result#output()}, everything else (malformed input, and any unexpected error of the
 * parser) to {@link WithFailures.Result#failures()} as a {@link DeadLetter} with the raw payload,
 * origin, reason and, for unexpected errors, the stack. Nothing is dropped: {@code parsed +
 * dead_letters} equals the records in, and both are Beam counters in namespace {@value
 * #NAMESPACE}.
 *
 * <p>With {@link #withEventTime} each parsed value is stamped with its own event time (not the
 * source's timestamp), so every window downstream is an event-time window.
 */
public final class ParseRecords<T>
    extends PTransform<PCollection<RawRecord>, WithFailures.Result<PCollection<T>, DeadLetter>> {
  public static final String NAMESPACE = "candlebeam";
  public static final String PARSED = "parsed";
  public static final String DEAD_LETTERS = "dead_letters";

  private final RecordParser<T> parser;
  private final Coder<T> coder;
  private final String step;
  private final @Nullable SerializableFunction<T, Instant> eventTime;

  private ParseRecords(
      RecordParser<T> parser,
      Coder<T> coder,
      String step,
      @Nullable SerializableFunction<T, Instant> eventTime) {
    this.parser = parser;
    this.coder = coder;
    this.step = step;
    this.eventTime = eventTime;
  }

  /** Parses with {@code parser}; {@code step} names the step in dead letters (e.g. "parse-tick"). */
  public static <T> ParseRecords<T> with(RecordParser<T> parser, Coder<T> coder, String step) {
    return new ParseRecords<>(parser, coder, step, null);
  }

  /** Stamps each parsed value with {@code eventTime(value)} as its element timestamp. */
  public ParseRecords<T> withEventTime(SerializableFunction<T, Instant> eventTime) {
    return new ParseRecords<>(parser, coder, step, eventTime);
  }

  @Override
  public WithFailures.Result<PCollection<T>, DeadLetter> expand(PCollection<RawRecord> input) {
    TupleTag<T> parsedTag = new TupleTag<>() {};
    TupleTag<DeadLetter> failedTag = new TupleTag<>() {};
    PCollectionTuple out =
        input.apply(
            "Parse",
            ParDo.of(new ParseFn<>(parser, step, eventTime, parsedTag, failedTag))
                .withOutputTags(parsedTag, TupleTagList.of(failedTag)));
    out.get(parsedTag).setCoder(coder);
    out.get(failedTag).setCoder(DeadLetterCoder.of());
    return WithFailures.Result.of(out, parsedTag, failedTag);
  }

  private static final class ParseFn<T> extends DoFn<RawRecord, T> {
    static final Duration ANY_VALID_SKEW = Duration.millis(
        BoundedWindow.TIMESTAMP_MAX_VALUE.getMillis() - BoundedWindow.TIMESTAMP_MIN_VALUE.getMillis());
    private final ParseAttempt<T> attempt;
    private final @Nullable SerializableFunction<T, Instant> eventTime;
    private final TupleTag<T> parsedTag;
    private final TupleTag<DeadLetter> failedTag;

    ParseFn(
        RecordParser<T> parser,
        String step,
        @Nullable SerializableFunction<T, Instant> eventTime,
        TupleTag<T> parsedTag,
        TupleTag<DeadLetter> failedTag) {
      this.attempt = new ParseAttempt<>(parser, step);
      this.eventTime = eventTime;
      this.parsedTag = parsedTag;
      this.failedTag = failedTag;
    }

    /**
     * Event time may be before the raw record's timestamp (a Kafka append time, say): any move
     * within Beam's timestamp range is allowed. Not {@code Long.MAX_VALUE}: the runner subtracts
     * the skew from every input timestamp, and an overflow there costs a thrown exception per
     * element (a third of the Spark backfill's time).
     */
    @Override
    @SuppressWarnings("deprecation")
    public Duration getAllowedTimestampSkew() {
      return eventTime == null ? Duration.ZERO : ANY_VALID_SKEW;
    }

    @ProcessElement
    public void process(@Element RawRecord record, MultiOutputReceiver out) {
      T value = attempt.parse(record, out.get(failedTag)::output);
      if (value == null) {
        return;
      }
      if (eventTime == null) {
        out.get(parsedTag).output(value);
      } else {
        out.get(parsedTag).outputWithTimestamp(value, eventTime.apply(value));
      }
    }
  }
}
