package io.candlebeam.transforms;

import io.candlebeam.transforms.combine.BundleCombiner;
import io.candlebeam.transforms.combine.CombinePerKeyAndWindow;
import io.candlebeam.transforms.combine.OhlcAccumulator;
import io.candlebeam.transforms.combine.PartialInWindow;
import io.candlebeam.transforms.late.DivertTooLate;
import io.candlebeam.transforms.late.LateCheck;
import io.candlebeam.transforms.model.Candle;
import io.candlebeam.transforms.model.DeadLetter;
import io.candlebeam.transforms.model.DeadLetterCoder;
import io.candlebeam.transforms.model.RawRecord;
import io.candlebeam.transforms.model.Tick;
import io.candlebeam.transforms.model.TickCoder;
import io.candlebeam.transforms.parse.ParseAttempt;
import io.candlebeam.transforms.window.AssignWindows;
import io.candlebeam.transforms.window.Windowing;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TupleTag;
import org.apache.beam.sdk.values.TupleTagList;
import org.apache.beam.sdk.values.WindowingStrategy;
import org.joda.time.Instant;

/**
 * The candle job's hot path: raw records in; candles, dead letters and too-late records out. The
 * same result as {@link DivertTooLate} → {@link ParseTicks} → {@link CalculateCandles} (a test
 * runs both), built from the same pieces ({@link LateCheck}, {@link ParseAttempt}, the windowing
 * strategy of {@link AssignWindows}, the OHLC {@link CombinePerKeyAndWindow}), but in one DoFn up
 * to the shuffle: each record is checked, parsed, given its windows and folded into its bundle's
 * partial candle, so ticks never become a PCollection of their own.
 *
 * <pre>
 * RawRecord ─┬─ LateCheck ──── all windows closed at the read watermark ──────────→ TOO_LATE
 *            └─ ParseAttempt ─ malformed ─────────────────────────────────────────→ DEAD_LETTERS
 *                            └ Tick → its windows → the bundle's partial per (symbol, window)
 *                                         └→ shuffle (CombinePerKeyAndWindow) → Candle → CANDLES
 * </pre>
 *
 * <p>Why fused: Beam's SparkRunner persists the output of every multi-output ParDo and, when a
 * partition does not fit, computes it again for each consumer; only partial candles and failures
 * are persisted here. The staged classes are the reference form this is tested against
 * (docs/design.md).
 */
public final class ParseAndCalculateCandles
    extends PTransform<PCollection<RawRecord>, PCollectionTuple> {
  public static final TupleTag<Candle> CANDLES = new TupleTag<>("candles") {};
  /** Records that do not parse, with payload and reason (see {@link ParseTicks}). */
  public static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<>("deadLetters") {};
  /** Records whose windows had all closed (see {@link DivertTooLate}). */
  public static final TupleTag<DeadLetter> TOO_LATE = new TupleTag<>("tooLate") {};
  private static final TupleTag<KV<String, PartialInWindow<OhlcAccumulator>>> PARTIALS =
      new TupleTag<>("partials") {};

  private final Windowing windowing;

  public ParseAndCalculateCandles(Windowing windowing) {
    this.windowing = windowing;
  }

  @Override
  public PCollectionTuple expand(PCollection<RawRecord> records) {
    if (!(records.getWindowingStrategy().getWindowFn() instanceof GlobalWindows)) {
      throw new IllegalArgumentException("raw records come from a source, in the global window");
    }
    WindowingStrategy<?, ?> strategy = AssignWindows.of(windowing, Tick::symbol).strategy();
    CombinePerKeyAndWindow<Tick, String, OhlcAccumulator, Candle> combine =
        CombineCandles.perSymbolAndWindow();
    PCollectionTuple out = records.apply("ParseAndCombineWithinBundle",
        ParDo.of(new ParseAndPrecombineFn(
                new LateCheck(windowing, ParseTicks.PARSER),
                new ParseAttempt<>(ParseTicks.PARSER, ParseTicks.STEP),
                strategy,
                combine.bundleCombiner(!strategy.getWindowFn().isNonMerging())))
            .withOutputTags(PARTIALS, TupleTagList.of(DEAD_LETTERS).and(TOO_LATE)));
    PCollection<Candle> candles =
        combine.combinePartials(out.get(PARTIALS), strategy, TickCoder.of());
    return PCollectionTuple.of(CANDLES, candles)
        .and(DEAD_LETTERS, out.get(DEAD_LETTERS).setCoder(DeadLetterCoder.of()))
        .and(TOO_LATE, out.get(TOO_LATE).setCoder(DeadLetterCoder.of()));
  }

  /**
   * Too late? Parses? Then into its windows' partial candles, emitted at the bundle's end in the
   * global window (the input's), each carrying its own window.
   */
  private static final class ParseAndPrecombineFn
      extends DoFn<RawRecord, KV<String, PartialInWindow<OhlcAccumulator>>> {
    private final LateCheck lateCheck;
    private final ParseAttempt<Tick> parse;
    private final WindowingStrategy<?, ?> strategy;
    private final BundleCombiner<Tick, String, OhlcAccumulator> combiner;

    ParseAndPrecombineFn(LateCheck lateCheck, ParseAttempt<Tick> parse,
        WindowingStrategy<?, ?> strategy, BundleCombiner<Tick, String, OhlcAccumulator> combiner) {
      this.lateCheck = lateCheck;
      this.parse = parse;
      this.strategy = strategy;
      this.combiner = combiner;
    }

    @StartBundle
    public void startBundle() {
      combiner.start();
    }

    @ProcessElement
    public void process(@Element RawRecord record, @Timestamp Instant timestamp,
        MultiOutputReceiver out) {
      DeadLetter tooLate = lateCheck.tooLate(record, timestamp);
      if (tooLate != null) {
        out.get(TOO_LATE).output(tooLate);
        return;
      }
      Tick tick = parse.parse(record, out.get(DEAD_LETTERS)::output);
      if (tick == null) {
        return;
      }
      Instant eventTime = ParseTicks.eventTime(tick);
      for (BoundedWindow window : AssignWindows.windowsOf(strategy, tick, eventTime)) {
        combiner.add(tick.symbol(), tick, eventTime, window);
      }
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext context) {
      combiner.finish(
          (partial, time) -> context.output(PARTIALS, partial, time, GlobalWindow.INSTANCE));
    }
  }
}
