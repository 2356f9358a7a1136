package io.candlebeam.transforms.late;

import io.candlebeam.transforms.model.DeadLetter;
import io.candlebeam.transforms.model.RawRecord;
import io.candlebeam.transforms.parse.ParseAttempt;
import io.candlebeam.transforms.parse.ParseRecords;
import io.candlebeam.transforms.parse.RecordParser;
import io.candlebeam.transforms.window.AssignWindows;
import io.candlebeam.transforms.window.Windowing;
import java.io.Serializable;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * The rule of {@link DivertTooLate} for one record, for use inside a DoFn: is every window of this
 * event time closed at the watermark its reader had reported when it read the record ({@link
 * RawRecord#readWatermark}), and does the record parse? Then it is too late, and counted as
 * {@value DivertTooLate#TOO_LATE}.
 */
public final class LateCheck implements Serializable {
  private final Counter tooLate = Metrics.counter(ParseRecords.NAMESPACE, DivertTooLate.TOO_LATE);
  private final Windowing windowing;
  private final SerializableFunction<Instant, Instant> closesAt;
  private final RecordParser<?> parser;

  /** @param parser the parser downstream: what it rejects is left to it, late or not */
  public LateCheck(Windowing windowing, RecordParser<?> parser) {
    this.windowing = windowing;
    this.closesAt = AssignWindows.closesAt(windowing);
    this.parser = parser;
  }

  /** The record as a too-late dead letter (counted), or null if it may go on. */
  public @Nullable DeadLetter tooLate(RawRecord record, Instant eventTime) {
    if (record.watermarkAtRead() == RawRecord.NO_WATERMARK) {
      return null;
    }
    Instant closed = closesAt.apply(eventTime);
    Instant now = record.readWatermark();
    if (!closed.isBefore(now) || !ParseAttempt.accepts(parser, record.payload())) {
      return null;
    }
    tooLate.inc();
    return new DeadLetter(record.payload(), record.origin(), record.metadata(), DivertTooLate.STEP,
        "event time " + eventTime + " is too late: its windows stopped accepting data at " + closed
            + " (window end + allowed lateness " + windowing.allowedLateness()
            + "), and the watermark was " + now + " when it was read", "TooLate", null);
  }
}
