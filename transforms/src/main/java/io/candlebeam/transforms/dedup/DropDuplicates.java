package io.candlebeam.transforms.dedup;

import io.candlebeam.transforms.model.RawRecord;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.state.StateSpec;
import org.apache.beam.sdk.state.StateSpecs;
import org.apache.beam.sdk.state.ValueState;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.KV;
import org.joda.time.Instant;

/**
 * Drops an element whose id was already seen for its key, as Spark's {@code
 * dropDuplicatesWithinWatermark}: trades by (symbol, trade id), ticker snapshots by (symbol, event
 * time). Input: {@code KV<key, KV<element, watermark at read>>} in the global window (the watermark
 * is {@link RawRecord#readWatermark}'s, or {@link RawRecord#NO_WATERMARK}); output: the new
 * elements, with their timestamps. Counts {@value #DUPLICATES}.
 *
 * <p>State per key is a {@link SeenIds}. An id is forgotten once its element's windows have all
 * closed at the watermark ({@code closesAt(event time)} before it): a repeat after that would be
 * set aside as too late before it reaches this step, so forgetting it changes nothing. That bounds
 * the state without timers, which the SparkRunner does not have: it is pruned as elements of the
 * key pass, under the watermark they were read at.
 */
public final class DropDuplicates<T> extends DoFn<KV<String, KV<T, Long>>, T> {
  public static final String DUPLICATES = "duplicates_dropped";
  /** Ranges of ids forgotten as their windows closed. */
  public static final String FORGOTTEN = "dedup_ranges_forgotten";

  private final Counter duplicates = Metrics.counter("candlebeam", DUPLICATES);
  private final Counter forgotten = Metrics.counter("candlebeam", FORGOTTEN);
  private final SerializableFunction<T, Long> id;
  private final SerializableFunction<T, Instant> eventTime;
  private final SerializableFunction<Instant, Instant> closesAt;

  @StateId("seen")
  private final StateSpec<ValueState<SeenIds>> seenSpec = StateSpecs.value(SeenIds.Coder.of());

  /**
   * @param id the id of an element, unique per key
   * @param eventTime the event time of an element
   * @param closesAt the watermark from which an event time is too late for all its windows
   */
  public DropDuplicates(SerializableFunction<T, Long> id, SerializableFunction<T, Instant> eventTime,
      SerializableFunction<Instant, Instant> closesAt) {
    this.id = id;
    this.eventTime = eventTime;
    this.closesAt = closesAt;
  }

  @ProcessElement
  public void process(@Element KV<String, KV<T, Long>> element,
      @StateId("seen") ValueState<SeenIds> state, OutputReceiver<T> out) {
    SeenIds seen = state.read();
    if (seen == null) {
      seen = new SeenIds();
    }
    int dropped = 0;
    long watermark = element.getValue().getValue();
    if (watermark != RawRecord.NO_WATERMARK) {
      Instant now = new Instant(watermark);
      dropped = seen.forgetIf(t -> closesAt.apply(new Instant(t)).isBefore(now));
      forgotten.inc(dropped);
    }
    T value = element.getValue().getKey();
    boolean added = seen.add(id.apply(value), eventTime.apply(value).getMillis());
    if (added || dropped > 0) {
      state.write(seen);
    }
    if (added) {
      out.output(value);
    } else {
      duplicates.inc();
    }
  }
}
