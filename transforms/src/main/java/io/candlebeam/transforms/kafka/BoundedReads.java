package io.candlebeam.transforms.kafka;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.apache.beam.sdk.io.UnboundedSource.UnboundedReader;
import org.apache.beam.sdk.io.kafka.KafkaCheckpointMark;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * One split's reads bounded by its {@link ReadLog}: a read whose entry is logged (a second reading
 * of a micro-batch after a restart) takes no record at or past the offsets the entry gives, and a
 * read that is not logs where it ended. KafkaIO's reader cannot be stopped per partition, so
 * records it hands over past a partition's bound are held back, in order, for the next read, and
 * the checkpoint mark puts that partition's next offset at the first record held. A read ends
 * early once every partition reached its bound (nothing more to take) or {@value #MAX_HELD}
 * records are held (it may then take fewer records than logged: those go to the next read, whose
 * entry bounds it in turn; no read takes a record that the first reading of its batch did not
 * reach). The watermark the reader reports after a read is logged too, and a read done again
 * reports the logged one (or less, if it took fewer records): records held back have moved their
 * partition's clock already, and the partitions' backlogs differ on a second reading, so the clocks
 * alone would stamp the next read's records with another watermark than the first time.
 */
final class BoundedReads {
  /** Records held back at most; past this the read ends, taking fewer records than logged. */
  static final int MAX_HELD = 50_000;
  private final ReadLog log;
  private final String split;
  /** Where the first reading of the read in progress ended (null: it is the first, unbounded). */
  private ReadLog.@Nullable Entry logged;
  private final Map<String, ArrayDeque<Held>> held = new HashMap<>();
  private int heldCount;
  private boolean started;
  private @Nullable Held current;

  private record Held(KafkaRecord<byte[], byte[]> record, Instant timestamp) {}

  BoundedReads(ReadLog log, String split) {
    this.log = log;
    this.split = split;
  }

  /**
   * Where the split's first reader started, as a mark to build a reader from (null: not logged),
   * no partition having a watermark yet.
   */
  @Nullable KafkaCheckpointMark loggedStart() {
    ReadLog.Entry start = log.start(split);
    if (start == null) {
      return null;
    }
    List<KafkaCheckpointMark.PartitionMark> partitions = new ArrayList<>();
    start.ends().forEach((tp, offset) -> {
      int dash = tp.lastIndexOf('-');
      partitions.add(new KafkaCheckpointMark.PartitionMark(tp.substring(0, dash),
          Integer.parseInt(tp.substring(dash + 1)), offset,
          BoundedWindow.TIMESTAMP_MIN_VALUE.getMillis()));
    });
    return new KafkaCheckpointMark(partitions, Optional.empty());
  }

  /**
   * A fresh reader started at {@code positions}: logs it, once, if this is the split's first
   * reading of read 0 (a reading done again may have held records back, and started where the log
   * says).
   */
  void recordStart(KafkaCheckpointMark positions) {
    if (logged == null && heldCount == 0) {
      log.recordStartIfAbsent(split, offsets(positions));
    }
  }

  /** Read {@code n} begins: bounded by its entry, if one is logged. */
  void startRead(long n) {
    logged = log.entry(split, n);
  }

  /**
   * The watermark to report at the end of the read in progress, {@code clocks} being the
   * partitions' clocks' (the first reading's if the read is done again, less if it ended short).
   */
  long watermarkAtEnd(long clocks, KafkaCheckpointMark offsets) {
    if (logged == null || logged.watermark() == Long.MIN_VALUE) {
      return clocks;
    }
    return reachedEverywhere(offsets) ? logged.watermark() : Math.min(clocks, logged.watermark());
  }

  /**
   * Read {@code n} ended at {@code offsets} (from {@link #heldBack}) reporting {@code watermark}:
   * logs it, once.
   */
  void endRead(long n, KafkaCheckpointMark offsets, long watermark) {
    log.recordIfAbsent(split, n, new ReadLog.Entry(offsets(offsets), watermark));
  }

  /** The next offset per {@code topic-partition}, in the mark's order. */
  private static Map<String, Long> offsets(KafkaCheckpointMark mark) {
    Map<String, Long> offsets = new LinkedHashMap<>();
    for (KafkaCheckpointMark.PartitionMark p : mark.getPartitions()) {
      offsets.put(ReadLog.partitionName(p), p.getNextOffset());
    }
    return offsets;
  }

  /** Whether a record is available from {@code kafka} (or held back) within the bound. */
  boolean next(UnboundedReader<KafkaRecord<byte[], byte[]>> kafka) throws IOException {
    if (heldCount > 0 && takeHeld()) {
      return true;
    }
    if (heldCount >= MAX_HELD
        || logged != null && reachedEverywhere((KafkaCheckpointMark) kafka.getCheckpointMark())) {
      return false;
    }
    while (true) {
      boolean available = started ? kafka.advance() : kafka.start();
      started = true;
      if (!available) {
        return false;
      }
      Held r = new Held(kafka.getCurrent(), kafka.getCurrentTimestamp());
      if (logged == null && heldCount == 0) { // the usual read: not done before, nothing held
        current = r;
        return true;
      }
      String tp = ReadLog.partitionName(r.record().getTopic(), r.record().getPartition());
      ArrayDeque<Held> q = held.get(tp);
      if ((q == null || q.isEmpty()) && within(tp, r.record().getOffset())) {
        current = r;
        return true;
      }
      held.computeIfAbsent(tp, k -> new ArrayDeque<>()).add(r);
      if (++heldCount >= MAX_HELD) {
        return false;
      }
    }
  }

  KafkaRecord<byte[], byte[]> current() {
    if (current == null) {
      throw new NoSuchElementException();
    }
    return current.record();
  }

  Instant currentTimestamp() {
    if (current == null) {
      throw new NoSuchElementException();
    }
    return current.timestamp();
  }

  /** KafkaIO's mark with each partition's next offset moved back to its first held record. */
  KafkaCheckpointMark heldBack(KafkaCheckpointMark mark) {
    if (heldCount == 0) {
      return mark;
    }
    List<KafkaCheckpointMark.PartitionMark> partitions = new ArrayList<>();
    for (KafkaCheckpointMark.PartitionMark p : mark.getPartitions()) {
      ArrayDeque<Held> q = held.get(ReadLog.partitionName(p));
      partitions.add(q == null || q.isEmpty() ? p : new KafkaCheckpointMark.PartitionMark(
          p.getTopic(), p.getPartition(), q.peek().record().getOffset(), p.getWatermarkMillis()));
    }
    return new KafkaCheckpointMark(partitions, Optional.empty()); // no commit of a moved offset
  }

  private boolean takeHeld() {
    for (Map.Entry<String, ArrayDeque<Held>> e : held.entrySet()) {
      Held head = e.getValue().peek();
      if (head != null && within(e.getKey(), head.record().getOffset())) {
        current = e.getValue().poll();
        heldCount--;
        return true;
      }
    }
    return false;
  }

  private boolean within(String partition, long offset) {
    Long end = logged == null ? null : logged.ends().get(partition);
    return end == null || end < 0 || offset < end; // a partition the entry does not know: unbounded
  }

  private boolean reachedEverywhere(KafkaCheckpointMark positions) {
    for (KafkaCheckpointMark.PartitionMark p : positions.getPartitions()) {
      String tp = ReadLog.partitionName(p);
      ArrayDeque<Held> q = held.get(tp);
      long next = q == null || q.isEmpty() ? p.getNextOffset() : q.peek().record().getOffset();
      if (within(tp, next)) {
        return false;
      }
    }
    return true;
  }
}
