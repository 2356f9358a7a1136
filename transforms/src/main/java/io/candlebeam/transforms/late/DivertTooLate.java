package io.candlebeam.transforms.late;

import io.candlebeam.transforms.model.DeadLetter;
import io.candlebeam.transforms.model.DeadLetterCoder;
import io.candlebeam.transforms.model.RawRecord;
import io.candlebeam.transforms.parse.ParseRecords;
import io.candlebeam.transforms.window.AssignWindows;
import io.candlebeam.transforms.window.ObservedWatermark;
import io.candlebeam.transforms.window.Windowing;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.joda.time.Instant;

/**
 * Keeps what the runner would silently drop: a record whose every window has closed (window end +
 * allowed lateness before the watermark) goes to {@link WithFailures.Result#failures()} with its
 * raw payload, origin and metadata, step {@value #STEP}, and a reason naming its event time, when
 * its windows closed and the watermark; it is counted in {@value #TOO_LATE}. Everything else passes
 * through unchanged.
 *
 * <p>Records must already carry their event time as element timestamp (the unbounded sources stamp
 * it). The watermark is the one the source last reported ({@link ObservedWatermark}): the runner's
 * own watermark is derived from those reports, so in one JVM whatever the runner would drop when
 * the record reaches the window is diverted here first. Two precise limits: a record can become too
 * late between this check and the window (the watermark moves on while it travels; possible on the
 * Direct and Flink runners, which pipeline, not on Spark, whose watermark only moves between
 * micro-batches) — the runner then drops it and counts it in {@code droppedDueToLateness}; and on a
 * cluster each executor knows only its own readers' watermark. A record with some windows still
 * open (sliding windows) passes on; the runner drops it from the closed ones and counts that.
 */
public final class DivertTooLate
    extends PTransform<PCollection<RawRecord>, WithFailures.Result<PCollection<RawRecord>, DeadLetter>> {
  public static final String STEP = "too-late";
  public static final String TOO_LATE = "too_late";

  private final Windowing windowing;
  private final ObservedWatermark watermark;

  public DivertTooLate(Windowing windowing, ObservedWatermark watermark) {
    this.windowing = windowing;
    this.watermark = watermark;
  }

  @Override
  public WithFailures.Result<PCollection<RawRecord>, DeadLetter> expand(
      PCollection<RawRecord> records) {
    TupleTag<RawRecord> onTime = new TupleTag<>() {};
    TupleTag<DeadLetter> tooLate = new TupleTag<>() {};
    Coder<RawRecord> coder = records.getCoder();
    PCollectionTuple out = records.apply("CheckLateness",
        ParDo.of(new CheckFn(windowing, watermark, onTime, tooLate))
            .withOutputTags(onTime, TupleTagList.of(tooLate)));
    out.get(onTime).setCoder(coder);
    out.get(tooLate).setCoder(DeadLetterCoder.of());
    return WithFailures.Result.of(out, onTime, tooLate);
  }

  private static final class CheckFn extends DoFn<RawRecord, RawRecord> {
    private final Counter tooLateCount = Metrics.counter(ParseRecords.NAMESPACE, TOO_LATE);
    private final Windowing windowing;
    private final ObservedWatermark watermark;
    private final TupleTag<RawRecord> onTime;
    private final TupleTag<DeadLetter> tooLate;

    CheckFn(Windowing windowing, ObservedWatermark watermark, TupleTag<RawRecord> onTime,
        TupleTag<DeadLetter> tooLate) {
      this.windowing = windowing;
      this.watermark = watermark;
      this.onTime = onTime;
      this.tooLate = tooLate;
    }

    @ProcessElement
    public void process(@Element RawRecord record, @Timestamp Instant eventTime,
        MultiOutputReceiver out) {
      Instant closed = AssignWindows.closesAt(windowing, eventTime);
      Instant now = watermark.current();
      if (!closed.isBefore(now)) {
        out.get(onTime).output(record);
        return;
      }
      tooLateCount.inc();
      out.get(tooLate).output(new DeadLetter(record.payload(), record.origin(), record.metadata(),
          STEP, "event time " + eventTime + " is too late: its windows stopped accepting data at "
              + closed + " (window end + allowed lateness " + windowing.allowedLateness()
              + "), and the watermark is " + now, "TooLate", null));
    }
  }
}
