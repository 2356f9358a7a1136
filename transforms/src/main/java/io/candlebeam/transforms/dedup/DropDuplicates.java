package io.candlebeam.transforms.dedup;

import io.candlebeam.transforms.combine.BundleCombiner;
import io.candlebeam.transforms.combine.PartialInWindow;
import io.candlebeam.transforms.model.DeadLetter;
import io.candlebeam.transforms.model.RawRecord;
import java.io.Serializable;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.windowing.GlobalWindow;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TupleTag;
import org.joda.time.Instant;

/**
 * Drops an element whose id was already seen for its key, as Spark's {@code
 * dropDuplicatesWithinWatermark} (trades by (symbol, trade id), ticker snapshots by (symbol, event
 * time)), and folds the new ones into the bundle's partial candles ({@link Fold}). Input: {@code
 * KV<shard key, Parsed>} ({@link #shardKey}) in the global window; parse failures pass through to
 * their outputs. Counts {@value #DUPLICATES}.
 *
 * <p>State per key and shard is a {@link SeenIds}. An id is forgotten once its element's windows
 * have all closed at the watermark ({@code closesAt(event time)} before it): a repeat after that
 * would be set aside as too late before it reaches this step, so forgetting it changes nothing.
 * That bounds the state without timers, which the SparkRunner does not have: it is pruned as
 * elements of the shard pass, under the watermark they were read at ({@link
 * RawRecord#readWatermark}).
 */
public final class DropDuplicates<T, A> extends DoFn<KV<String, Parsed<T>>, KV<String, PartialInWindow<A>>> {
  public static final String DUPLICATES = "duplicates_dropped";
  /** Ranges of ids forgotten as their windows closed. */
  public static final String FORGOTTEN = "dedup_ranges_forgotten";
  /**
   * Shards per key: blocks of {@link #BLOCK} consecutive ids go to the shards in turn, so a symbol's
   * repeats are looked for on 16 workers; consecutive trades stay together (the in-bundle combine
   * after this step still sees whole minutes), each shard's ids map to consecutive ranks ({@link
   * #rank}: one range of state), and every shard keeps receiving ids, so each is pruned as time
   * passes.
   */
  public static final int SHARDS = 16;
  public static final int BLOCK = 1024;
  /** The key of parse failures (they carry no id). */
  public static final String FAILURES = "";

  /** Folds a new element into the bundle's partials (the in-bundle half of the combine). */
  @FunctionalInterface
  public interface Fold<T, A> extends Serializable {
    void fold(T element, BundleCombiner<T, String, A> combiner);
  }

  private final Counter duplicates = Metrics.counter("candlebeam", DUPLICATES);
  private final Counter forgotten = Metrics.counter("candlebeam", FORGOTTEN);
  private final SerializableFunction<T, Long> id;
  private final SerializableFunction<T, Instant> eventTime;
  private final SerializableFunction<Instant, Instant> closesAt;
  private final BundleCombiner<T, String, A> combiner;
  private final Fold<T, A> fold;
  private final TupleTag<DeadLetter> deadLetters;
  private final TupleTag<DeadLetter> tooLate;

  @StateId("seen")
  private final StateSpec<ValueState<SeenIds>> seenSpec = StateSpecs.value(SeenIds.Coder.of());

  /**
   * @param id the id of an element, unique per key
   * @param eventTime the event time of an element
   * @param closesAt the watermark from which an event time is too late for all its windows
   */
  public DropDuplicates(SerializableFunction<T, Long> id, SerializableFunction<T, Instant> eventTime,
      SerializableFunction<Instant, Instant> closesAt, BundleCombiner<T, String, A> combiner,
      Fold<T, A> fold, TupleTag<DeadLetter> deadLetters, TupleTag<DeadLetter> tooLate) {
    this.id = id;
    this.eventTime = eventTime;
    this.closesAt = closesAt;
    this.combiner = combiner;
    this.fold = fold;
    this.deadLetters = deadLetters;
    this.tooLate = tooLate;
  }

  /** The state key of an element: its key and the shard of its id's block. */
  public static String shardKey(String key, long id) {
    return key + "#" + Math.floorMod(Math.floorDiv(id, BLOCK), SHARDS);
  }

  /** An id's place within its shard: the ids of one shard, in order, have consecutive ranks. */
  static long rank(long id) {
    return Math.floorDiv(id, (long) BLOCK * SHARDS) * BLOCK + Math.floorMod(id, BLOCK);
  }

  @StartBundle
  public void startBundle() {
    combiner.start();
  }

  @ProcessElement
  public void process(@Element KV<String, Parsed<T>> element,
      @StateId("seen") ValueState<SeenIds> state, MultiOutputReceiver out) {
    Parsed<T> parsed = element.getValue();
    if (parsed.failure() != null) {
      out.get(parsed.tooLate() ? tooLate : deadLetters).output(parsed.failure());
      return;
    }
    SeenIds seen = state.read();
    if (seen == null) {
      seen = new SeenIds();
    }
    int dropped = 0;
    if (parsed.watermark() != RawRecord.NO_WATERMARK) {
      Instant now = new Instant(parsed.watermark());
      dropped = seen.forgetIf(t -> closesAt.apply(new Instant(t)).isBefore(now));
      forgotten.inc(dropped);
    }
    T value = parsed.value();
    boolean added = seen.add(rank(id.apply(value)), eventTime.apply(value).getMillis());
    if (added || dropped > 0) {
      state.write(seen);
    }
    if (added) {
      fold.fold(value, combiner);
    } else {
      duplicates.inc();
    }
  }

  @FinishBundle
  public void finishBundle(FinishBundleContext context) {
    combiner.finish((partial, time) -> context.output(partial, time, GlobalWindow.INSTANCE));
  }
}
