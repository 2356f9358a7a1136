package io.candlebeam.transforms.late;

import io.candlebeam.transforms.model.DeadLetter;
import io.candlebeam.transforms.model.DeadLetterCoder;
import io.candlebeam.transforms.model.RawRecord;
import io.candlebeam.transforms.parse.RecordParser;
import io.candlebeam.transforms.window.Windowing;
import org.apache.beam.sdk.coders.Coder;
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
 * through unchanged. A record that would not parse is never "too late": it goes on, to become a
 * dead letter like any other malformed record (only the few records judged late are parsed here).
 *
 * <p>Records must already carry their event time as element timestamp (the unbounded sources stamp
 * it) and the watermark their reader had reported when it read them ({@link
 * RawRecord#readWatermark}): on Spark, the watermark at the start of the record's micro-batch
 * (Spark Structured Streaming's rule), never one that the same or a later read moved. Beam's
 * SparkRunner judges lateness later still (its window state uses an older watermark), so what it
 * would drop is diverted here first. On the Direct and Flink runners, which pipeline, the runner's
 * watermark at the window is never ahead of the one a record was read under, since records and
 * watermarks flow in order. A record from a source without a watermark is never too late. A
 * record with some windows still open (sliding windows) passes on; the runner drops it from the
 * closed ones and counts that.
 *
 * <p>A stage of the reference (staged) form of the candle job; the job runs these stages fused
 * in {@link io.candlebeam.transforms.ParseAndCalculateCandles}, which is tested against them.
 */
public final class DivertTooLate
    extends PTransform<PCollection<RawRecord>, WithFailures.Result<PCollection<RawRecord>, DeadLetter>> {
  public static final String STEP = "too-late";
  public static final String TOO_LATE = "too_late";

  private final Windowing windowing;
  private final RecordParser<?> parser;

  /** @param parser the parser downstream: what it rejects is left to it, late or not */
  public DivertTooLate(Windowing windowing, RecordParser<?> parser) {
    this.windowing = windowing;
    this.parser = parser;
  }

  @Override
  public WithFailures.Result<PCollection<RawRecord>, DeadLetter> expand(
      PCollection<RawRecord> records) {
    TupleTag<RawRecord> onTime = new TupleTag<>() {};
    TupleTag<DeadLetter> tooLate = new TupleTag<>() {};
    Coder<RawRecord> coder = records.getCoder();
    PCollectionTuple out = records.apply("CheckLateness",
        ParDo.of(new CheckFn(new LateCheck(windowing, parser), onTime, tooLate))
            .withOutputTags(onTime, TupleTagList.of(tooLate)));
    out.get(onTime).setCoder(coder);
    out.get(tooLate).setCoder(DeadLetterCoder.of());
    return WithFailures.Result.of(out, onTime, tooLate);
  }

  private static final class CheckFn extends DoFn<RawRecord, RawRecord> {
    private final LateCheck check;
    private final TupleTag<RawRecord> onTime;
    private final TupleTag<DeadLetter> tooLate;

    CheckFn(LateCheck check, TupleTag<RawRecord> onTime, TupleTag<DeadLetter> tooLate) {
      this.check = check;
      this.onTime = onTime;
      this.tooLate = tooLate;
    }

    @ProcessElement
    public void process(@Element RawRecord record, @Timestamp Instant eventTime,
        MultiOutputReceiver out) {
      DeadLetter late = check.tooLate(record, eventTime);
      if (late == null) {
        out.get(onTime).output(record);
      } else {
        out.get(tooLate).output(late);
      }
    }
  }
}
