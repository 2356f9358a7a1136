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
import io.candlebeam.transforms.combine.TradeOhlcv;
import io.candlebeam.transforms.model.Tick;
import io.candlebeam.transforms.model.TickCoder;
import io.candlebeam.transforms.model.Trade;
import io.candlebeam.transforms.model.TradeCandle;
import io.candlebeam.transforms.model.TradeCoder;
import io.candlebeam.transforms.parse.ParseAttempt;
import io.candlebeam.transforms.parse.RecordParser;
import io.candlebeam.transforms.dedup.DropDuplicates;
import io.candlebeam.transforms.dedup.Parsed;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.SerializableFunction;
import io.candlebeam.transforms.window.AssignWindows;
import io.candlebeam.transforms.window.Timeframes;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
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
 * The candle job's hot path: raw records in; candles, dead letters and too-late records out, for
 * ticker records ({@link #ticks}) or trades ({@link #trades}). For ticks the same result as {@link
 * DivertTooLate} → {@link ParseTicks} → {@link CalculateCandles} (a test runs both), built from
 * the same pieces ({@link LateCheck}, {@link ParseAttempt}, the windowing strategy of {@link
 * AssignWindows}, the {@link CombinePerKeyAndWindow}), but in one DoFn up to the shuffle: each
 * record is checked, parsed, given its windows and folded into its bundle's partial candle, so
 * parsed values never become a PCollection of their own.
 *
 * <pre>
 * RawRecord ─┬─ LateCheck ──── all windows closed at the read watermark ──────────→ TOO_LATE
 *            └─ ParseAttempt ─ malformed ─────────────────────────────────────────→ DEAD_LETTERS
 *                            └ value → its windows → the bundle's partial per (symbol, window)
 *                                         └→ shuffle (CombinePerKeyAndWindow) → candle → CANDLES
 * </pre>
 *
 * <p>With {@link #deduplicating} (the default for trades) the path is cut once, so that a repeat
 * can be found across bundles: value → shuffle by symbol and id shard → {@link DropDuplicates} → its windows →
 * partials → shuffle → candle.
 *
 * <p>Why fused: Beam's SparkRunner persists the output of every multi-output ParDo and, when a
 * partition does not fit, computes it again for each consumer; only partial candles and failures
 * are persisted here. The staged classes are the reference form this is tested against
 * (docs/design.md).
 */
public final class ParseAndCalculateCandles<T, A, C>
    extends PTransform<PCollection<RawRecord>, PCollectionTuple> {
  /** The ticker candles of {@link #ticks}. */
  public static final TupleTag<Candle> CANDLES = new TupleTag<>("candles") {};
  /** The trade bars of {@link #trades} (one tag id: a job has one kind of candle). */
  public static final TupleTag<TradeCandle> TRADE_CANDLES = new TupleTag<>("candles") {};
  /** Records that do not parse, with payload and reason (see {@link ParseTicks}). */
  public static final TupleTag<DeadLetter> DEAD_LETTERS = new TupleTag<>("deadLetters") {};
  /** Records whose windows had all closed (see {@link DivertTooLate}). */
  public static final TupleTag<DeadLetter> TOO_LATE = new TupleTag<>("tooLate") {};

  private final Windowing windowing;
  private final RecordParser<T> parser;
  private final String step;
  private final Coder<T> elementCoder;
  private final SerializableFunction<T, Instant> eventTime;
  private final SerializableFunction<T, String> key;
  private final CombinePerKeyAndWindow<T, String, A, C> combine;
  private final TupleTag<C> candles;
  private final SerializableFunction<T, Long> id;
  private final boolean dedup;

  private ParseAndCalculateCandles(Windowing windowing, RecordParser<T> parser, String step,
      Coder<T> elementCoder, SerializableFunction<T, Instant> eventTime,
      SerializableFunction<T, String> key, CombinePerKeyAndWindow<T, String, A, C> combine,
      TupleTag<C> candles, SerializableFunction<T, Long> id, boolean dedup) {
    this.windowing = windowing;
    this.parser = parser;
    this.step = step;
    this.elementCoder = elementCoder;
    this.eventTime = eventTime;
    this.key = key;
    this.combine = combine;
    this.candles = candles;
    this.id = id;
    this.dedup = dedup;
  }

  /**
   * Ticker JSON in, {@link Candle}s out ({@link #CANDLES}): the seed's job. A duplicate, with
   * {@link #deduplicating}, is a second snapshot of the same symbol and event time.
   */
  public static ParseAndCalculateCandles<Tick, OhlcAccumulator, Candle> ticks(Windowing windowing) {
    return new ParseAndCalculateCandles<>(windowing, ParseTicks.PARSER, ParseTicks.STEP,
        TickCoder.of(), ParseTicks::eventTime, Tick::symbol, CombineCandles.perSymbolAndWindow(),
        CANDLES, Tick::eventTime, false);
  }

  /**
   * Trade JSON in, OHLCV {@link TradeCandle}s out ({@link #TRADE_CANDLES}), de-duplicated by
   * (symbol, trade id) unless {@link #deduplicating} says otherwise.
   */
  public static ParseAndCalculateCandles<Trade, TradeOhlcv, TradeCandle> trades(
      Windowing windowing) {
    return new ParseAndCalculateCandles<>(windowing, ParseTrades.PARSER, ParseTrades.STEP,
        TradeCoder.of(), ParseTrades::eventTime, Trade::symbol,
        CombineTradeCandles.perSymbolAndWindow(), TRADE_CANDLES, Trade::id, true);
  }

  /**
   * With {@code on}, repeated records are dropped ({@link DropDuplicates}) before they reach a
   * candle: one more shuffle, of parsed records keyed by symbol.
   */
  public ParseAndCalculateCandles<T, A, C> deduplicating(boolean on) {
    return new ParseAndCalculateCandles<>(windowing, parser, step, elementCoder, eventTime, key,
        combine, candles, id, on);
  }

  /** The tag of the candles in the output. */
  public TupleTag<C> candles() {
    return candles;
  }

  @Override
  public PCollectionTuple expand(PCollection<RawRecord> records) {
    if (!(records.getWindowingStrategy().getWindowFn() instanceof GlobalWindows)) {
      throw new IllegalArgumentException("raw records come from a source, in the global window");
    }
    WindowingStrategy<?, ?> strategy = AssignWindows.of(windowing, key).strategy();
    BundleCombiner<T, String, A> combiner = rollingUp(strategy,
        combine.bundleCombiner(!strategy.getWindowFn().isNonMerging()));
    TupleTag<KV<String, PartialInWindow<A>>> partialsTag = new TupleTag<>("partials") {};
    LateCheck lateCheck = new LateCheck(windowing, parser);
    ParseAttempt<T> parse = new ParseAttempt<>(parser, step);
    PCollectionTuple out;
    PCollection<KV<String, PartialInWindow<A>>> partials;
    if (!dedup) {
      out = records.apply("ParseAndCombineWithinBundle",
          ParDo.of(new ParseAndPrecombineFn<>(lateCheck, parse, eventTime, key, strategy, combiner,
                  partialsTag))
              .withOutputTags(partialsTag, TupleTagList.of(DEAD_LETTERS).and(TOO_LATE)));
      partials = out.get(partialsTag);
    } else {
      SerializableFunction<T, String> symbol = key;
      SerializableFunction<T, Long> idOf = id;
      SerializableFunction<T, String> shard =
          element -> DropDuplicates.shardKey(symbol.apply(element), idOf.apply(element));
      SerializableFunction<T, Instant> time = eventTime;
      WindowingStrategy<?, ?> windows = strategy;
      out = records
          .apply("Parse", ParDo.of(new ParseFn<>(lateCheck, parse, shard)))
          .setCoder(KvCoder.of(StringUtf8Coder.of(), new Parsed.ParsedCoder<>(elementCoder)))
          .apply("DropDuplicatesAndCombineWithinBundle", ParDo.of(new DropDuplicates<>(id,
                  eventTime, AssignWindows.closesAt(windowing), combiner,
                  (element, c) -> fold(element, time, symbol, windows, c), DEAD_LETTERS,
                  TOO_LATE))
              .withOutputTags(partialsTag, TupleTagList.of(DEAD_LETTERS).and(TOO_LATE)));
      partials = out.get(partialsTag);
    }
    PCollection<C> result = combine.combinePartials(partials, strategy, elementCoder);
    return PCollectionTuple.of(candles, result)
        .and(DEAD_LETTERS, out.get(DEAD_LETTERS).setCoder(DeadLetterCoder.of()))
        .and(TOO_LATE, out.get(TOO_LATE).setCoder(DeadLetterCoder.of()));
  }

  /**
   * Too late? Parses? The record's value keyed by its dedup shard, with the watermark it was read
   * under, or its failure (one output: see {@link Parsed}).
   */
  private static final class ParseFn<T> extends DoFn<RawRecord, KV<String, Parsed<T>>> {
    private final LateCheck lateCheck;
    private final ParseAttempt<T> parse;
    private final SerializableFunction<T, String> key;

    ParseFn(LateCheck lateCheck, ParseAttempt<T> parse, SerializableFunction<T, String> key) {
      this.lateCheck = lateCheck;
      this.parse = parse;
      this.key = key;
    }

    @ProcessElement
    public void process(@Element RawRecord record, @Timestamp Instant timestamp,
        OutputReceiver<KV<String, Parsed<T>>> out) {
      DeadLetter tooLate = lateCheck.tooLate(record, timestamp);
      if (tooLate != null) {
        out.output(KV.of(DropDuplicates.FAILURES, Parsed.tooLate(tooLate)));
        return;
      }
      T element = parse.parse(record,
          letter -> out.output(KV.of(DropDuplicates.FAILURES, Parsed.deadLetter(letter))));
      if (element != null) {
        out.output(KV.of(key.apply(element), Parsed.of(element, record.watermarkAtRead())));
      }
    }
  }

  /** The record's value, or null after handing it to the too-late or dead-letter output. */
  private static <T> T checkAndParse(LateCheck lateCheck, ParseAttempt<T> parse, RawRecord record,
      Instant timestamp, DoFn.MultiOutputReceiver out) {
    DeadLetter tooLate = lateCheck.tooLate(record, timestamp);
    if (tooLate != null) {
      out.get(TOO_LATE).output(tooLate);
      return null;
    }
    return parse.parse(record, out.get(DEAD_LETTERS)::output);
  }

  /** Folds one value into the bundle's partial of each of its windows. */
  private static <T, A> void fold(T element, SerializableFunction<T, Instant> eventTime,
      SerializableFunction<T, String> key, WindowingStrategy<?, ?> strategy,
      BundleCombiner<T, String, A> combiner) {
    Instant time = eventTime.apply(element);
    String k = key.apply(element);
    if (strategy.getWindowFn() instanceof Timeframes frames && frames.nests()) {
      combiner.add(k, element, time, frames.smallestWindowAt(time)); // rolled up at bundle end
      return;
    }
    for (BoundedWindow window : AssignWindows.windowsOf(strategy, element, time)) {
      combiner.add(k, element, time, window);
    }
  }

  /**
   * With several nesting timeframes, each value is folded into its smallest window and the
   * bundle's partials are rolled up into the larger ones at its end (one accumulator update per
   * value, not one per timeframe).
   */
  private static <T, A> BundleCombiner<T, String, A> rollingUp(WindowingStrategy<?, ?> strategy,
      BundleCombiner<T, String, A> combiner) {
    if (strategy.getWindowFn() instanceof Timeframes frames && frames.nests()) {
      return combiner.rollingUp(w -> frames.largerWindowsOf((IntervalWindow) w));
    }
    return combiner;
  }

  /**
   * Too late? Parses? Then into its windows' partial candles, emitted at the bundle's end in the
   * global window (the input's), each carrying its own window.
   */
  private static final class ParseAndPrecombineFn<T, A>
      extends DoFn<RawRecord, KV<String, PartialInWindow<A>>> {
    private final LateCheck lateCheck;
    private final ParseAttempt<T> parse;
    private final SerializableFunction<T, Instant> eventTime;
    private final SerializableFunction<T, String> key;
    private final WindowingStrategy<?, ?> strategy;
    private final BundleCombiner<T, String, A> combiner;
    private final TupleTag<KV<String, PartialInWindow<A>>> partials;

    ParseAndPrecombineFn(LateCheck lateCheck, ParseAttempt<T> parse,
        SerializableFunction<T, Instant> eventTime, SerializableFunction<T, String> key,
        WindowingStrategy<?, ?> strategy, BundleCombiner<T, String, A> combiner,
        TupleTag<KV<String, PartialInWindow<A>>> partials) {
      this.lateCheck = lateCheck;
      this.parse = parse;
      this.eventTime = eventTime;
      this.key = key;
      this.strategy = strategy;
      this.combiner = combiner;
      this.partials = partials;
    }

    @StartBundle
    public void startBundle() {
      combiner.start();
    }

    @ProcessElement
    public void process(@Element RawRecord record, @Timestamp Instant timestamp,
        MultiOutputReceiver out) {
      T element = checkAndParse(lateCheck, parse, record, timestamp, out);
      if (element != null) {
        fold(element, eventTime, key, strategy, combiner);
      }
    }

    @FinishBundle
    public void finishBundle(FinishBundleContext context) {
      combiner.finish(
          (partial, time) -> context.output(partials, partial, time, GlobalWindow.INSTANCE));
    }
  }
}
