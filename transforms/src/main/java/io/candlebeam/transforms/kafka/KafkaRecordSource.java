package io.candlebeam.transforms.kafka;

import io.candlebeam.transforms.model.KafkaMetadata;
import io.candlebeam.transforms.model.RawRecord;
import io.candlebeam.transforms.model.RawRecordCoder;
import io.candlebeam.transforms.watermark.PartitionWatermarks;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.io.UnboundedSource;
import org.apache.beam.sdk.io.kafka.KafkaCheckpointMark;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.io.kafka.KafkaSourceAccess;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.kafka.common.header.Header;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Instant;

/**
 * KafkaIO's own UnboundedSource and reader (consumer threads, offsets, checkpoint marks), with
 * four changes:
 *
 * <ul>
 *   <li>records come out as {@link RawRecord}s (payload, origin {@code topic/partition@offset},
 *       key, headers, partition, offset and timestamp as metadata), each carrying the watermark
 *       its reader had reported before reading it: the late-data check judges a record by that,
 *       the watermark at the start of its micro-batch on Spark, never one a later read produced;
 *   <li>the watermark a reader reports is that of every partition of the topic read in this JVM
 *       ({@link PartitionWatermarks}: min over partitions with data left), not only its own; every
 *       split knows all partitions, so one whose reader has not started yet holds it back;
 *   <li>{@code readers}: at most this many splits (1: one reader for all partitions, whose
 *       watermark is then the whole topic's on any cluster);
 *   <li>with a {@link ReadLog}, each read ends no further than it did the first time ({@link
 *       BoundedReads}); the checkpoint mark ({@link ReadMark}) numbers the reads. A read ends
 *       when the runner asks for a mark after reading (the SparkRunner: once per micro-batch).
 * </ul>
 *
 * <p>Each reader also keeps two gauges per partition: {@link ReadFromKafka#START_OFFSET},
 * the offset a fresh run started at, and {@link ReadFromKafka#POSITION}, the next
 * offset at the reader's last checkpoint (and, while reading, at most 250 ms old). Gauges keep their latest value, so unlike counters they
 * are exact across a restart that replays micro-batches: position − start is the records read.
 */
final class KafkaRecordSource extends UnboundedSource<RawRecord, ReadMark> {
  private static final String START = ReadFromKafka.START_OFFSET;
  private static final String POSITION = ReadFromKafka.POSITION;
  private static final long GAUGE_NANOS = 250_000_000L;
  private static final String[] NO_NAMES = {};
  private static final byte[][] NO_VALUES = {};

  private final UnboundedSource<KafkaRecord<byte[], byte[]>, KafkaCheckpointMark> kafka;
  private final EventTimeWatermarks watermarks;
  private final int readers;
  /** Every partition of the source, once split (null before). */
  private final @Nullable List<String> allPartitions;
  /** Where reads end, so a second reading takes no more (null: not logged). */
  private final @Nullable ReadLog log;
  /** This split's folder in the log ({@link ReadLog#splitName}; "all" before a split). */
  private final String splitName;

  KafkaRecordSource(UnboundedSource<KafkaRecord<byte[], byte[]>, KafkaCheckpointMark> kafka,
      EventTimeWatermarks watermarks, int readers, @Nullable List<String> allPartitions,
      @Nullable ReadLog log, String splitName) {
    this.kafka = kafka;
    this.watermarks = watermarks;
    this.readers = readers;
    this.allPartitions = allPartitions;
    this.log = log;
    this.splitName = splitName;
  }

  @Override
  public List<KafkaRecordSource> split(int desiredNumSplits, PipelineOptions options)
      throws Exception {
    int n = readers > 0 ? Math.min(readers, desiredNumSplits) : desiredNumSplits;
    List<? extends UnboundedSource<KafkaRecord<byte[], byte[]>, KafkaCheckpointMark>> splits =
        kafka.split(Math.max(1, n), options);
    List<String> all = new ArrayList<>();
    for (UnboundedSource<?, ?> s : splits) {
      all.addAll(KafkaSourceAccess.partitionsOf(s));
    }
    List<KafkaRecordSource> out = new ArrayList<>();
    for (UnboundedSource<KafkaRecord<byte[], byte[]>, KafkaCheckpointMark> s : splits) {
      out.add(new KafkaRecordSource(s, watermarks, readers, List.copyOf(all), log,
          ReadLog.splitName(KafkaSourceAccess.partitionsOf(s))));
    }
    return out;
  }

  @Override
  public UnboundedReader<RawRecord> createReader(PipelineOptions options,
      @Nullable ReadMark mark) throws IOException {
    PartitionWatermarks model = watermarks.model();
    if (allPartitions != null) {
      allPartitions.forEach(model::expect);
    }
    BoundedReads reads = log == null ? null : new BoundedReads(log, splitName);
    // no state: the run's first reader, or one Spark builds again after a crash before its first
    // state checkpoint, which must start where the first did, not where "latest" is now
    KafkaCheckpointMark from = mark != null ? mark.offsets()
        : reads == null ? null : reads.loggedStart();
    return new Reader(this, kafka.createReader(options, from), model,
        mark == null ? 0 : mark.read(), reads, mark == null ? from : null);
  }

  @Override
  public Coder<ReadMark> getCheckpointMarkCoder() {
    return new ReadMark.ReadMarkCoder(kafka.getCheckpointMarkCoder());
  }

  @Override
  public Coder<RawRecord> getOutputCoder() {
    return RawRecordCoder.of();
  }

  private static final class Reader extends UnboundedReader<RawRecord> {
    private final KafkaRecordSource source;
    private final UnboundedReader<KafkaRecord<byte[], byte[]>> kafka;
    private final PartitionWatermarks model;
    /** A fresh start (no checkpoint): the start offsets are recorded once started. */
    private final boolean fresh;
    /** Where a fresh reader starts, when the read log says (null: where KafkaIO's reader does). */
    private final @Nullable KafkaCheckpointMark loggedStart;
    /** Bounds each read by the log, when there is one. */
    private final @Nullable BoundedReads reads;
    /** The number of the read in progress (the read that starts from the last mark). */
    private long read;
    /** Whether the reader was asked for a record since the last mark. */
    private boolean readSinceMark = true;
    private @Nullable ReadMark lastMark;
    /** The watermark this reader last reported (never going back), epoch ms. */
    private volatile long reported;
    private @Nullable RawRecord current;
    private @Nullable Instant currentTimestamp;
    /** When the position gauges were last set while reading (System.nanoTime). */
    private long gaugedAt = System.nanoTime();

    Reader(KafkaRecordSource source, UnboundedReader<KafkaRecord<byte[], byte[]>> kafka,
        PartitionWatermarks model, long read, @Nullable BoundedReads reads,
        @Nullable KafkaCheckpointMark loggedStart) {
      this.source = source;
      this.kafka = kafka;
      this.model = model;
      this.fresh = read == 0;
      this.loggedStart = loggedStart;
      this.read = read;
      this.reads = reads;
      if (reads != null) {
        reads.startRead(read);
      }
      this.reported = model.watermark().getMillis(); // restored clocks, or the beginning of time
    }

    @Override
    public boolean start() throws IOException {
      readSinceMark = true;
      boolean available = next(reads == null ? kafka.start() : reads.next(kafka));
      if (fresh) {
        KafkaCheckpointMark started = loggedStart != null ? loggedStart : startPositions();
        if (reads != null) {
          reads.recordStart(started);
        }
        for (KafkaCheckpointMark.PartitionMark p : started.getPartitions()) {
          Metrics.gauge("candlebeam", START + ReadLog.partitionName(p))
              .set(p.getNextOffset());
        }
      }
      return available;
    }

    /** Where KafkaIO's reader started: its mark after start(), less the record start() took. */
    private KafkaCheckpointMark startPositions() {
      KafkaCheckpointMark positions = positions();
      if (current == null) {
        return positions;
      }
      String topic = current.metadata().get("kafka.topic");
      int partition = Integer.parseInt(current.metadata().get("kafka.partition"));
      List<KafkaCheckpointMark.PartitionMark> started = new ArrayList<>();
      for (KafkaCheckpointMark.PartitionMark p : positions.getPartitions()) {
        started.add(p.getTopic().equals(topic) && p.getPartition() == partition
            ? new KafkaCheckpointMark.PartitionMark(topic, partition,
                Long.parseLong(current.metadata().get("kafka.offset")), p.getWatermarkMillis())
            : p);
      }
      return new KafkaCheckpointMark(started, Optional.empty());
    }

    /** The next offset per partition: KafkaIO's, less the records held back for a later read. */
    private KafkaCheckpointMark positions() {
      KafkaCheckpointMark mark = (KafkaCheckpointMark) kafka.getCheckpointMark();
      return reads == null ? mark : reads.heldBack(mark);
    }

    @Override
    public boolean advance() throws IOException {
      readSinceMark = true;
      boolean available = next(reads == null ? kafka.advance() : reads.next(kafka));
      long now = System.nanoTime();
      if (now - gaugedAt > GAUGE_NANOS) {
        gaugePositions(positions());
        gaugedAt = now;
      }
      return available;
    }

    /**
     * Sets the position gauges. At each checkpoint, and while reading at most every {@value
     * #GAUGE_NANOS} ns: a runner may take the checkpoint where metrics are not recorded (Flink
     * snapshots outside a bundle).
     */
    private static void gaugePositions(KafkaCheckpointMark mark) {
      for (KafkaCheckpointMark.PartitionMark p : mark.getPartitions()) {
        Metrics.gauge("candlebeam", POSITION + ReadLog.partitionName(p))
            .set(p.getNextOffset());
      }
    }

    private boolean next(boolean available) {
      if (!available) {
        current = null;
        return false;
      }
      if (reads == null) {
        current = toRawRecord(kafka.getCurrent(), reported);
        currentTimestamp = kafka.getCurrentTimestamp();
      } else {
        current = toRawRecord(reads.current(), reported);
        currentTimestamp = reads.currentTimestamp();
      }
      return true;
    }

    @Override
    public RawRecord getCurrent() {
      if (current == null) {
        throw new NoSuchElementException();
      }
      return current;
    }

    @Override
    public Instant getCurrentTimestamp() {
      if (current == null || currentTimestamp == null) {
        throw new NoSuchElementException();
      }
      return currentTimestamp;
    }

    @Override
    public Instant getWatermark() {
      if (reads != null && !readSinceMark) {
        return new Instant(reported); // the read ended at the last mark, with this watermark
      }
      kafka.getWatermark(); // tells each partition's clock its backlog
      reported = Math.max(reported, model.watermark().getMillis());
      return new Instant(reported);
    }

    /**
     * Ends the read in progress: logs where it ended and the watermark it reports (with a log),
     * and returns the mark the next read starts from. Asked again before anything more was read (Beam's Spark source asks twice
     * per micro-batch), the same mark.
     */
    @Override
    public CheckpointMark getCheckpointMark() {
      if (readSinceMark || lastMark == null) {
        KafkaCheckpointMark offsets = positions();
        if (reads != null) {
          kafka.getWatermark(); // tells each partition's clock its backlog
          reported = Math.max(reported,
              reads.watermarkAtEnd(model.watermark().getMillis(), offsets));
          reads.endRead(read, offsets, reported);
        }
        read++;
        if (reads != null) {
          reads.startRead(read);
        }
        lastMark = new ReadMark(offsets, read);
        readSinceMark = false;
        gaugePositions(offsets);
      }
      return lastMark;
    }

    @Override
    public long getSplitBacklogBytes() {
      return kafka.getSplitBacklogBytes();
    }

    @Override
    public UnboundedSource<RawRecord, ?> getCurrentSource() {
      return source;
    }

    @Override
    public void close() throws IOException {
      kafka.close();
    }
  }

  private static RawRecord toRawRecord(KafkaRecord<byte[], byte[]> r, long watermark) {
    String[] names = NO_NAMES;
    byte[][] values = NO_VALUES;
    if (r.getHeaders() != null) {
      Header[] headers = r.getHeaders().toArray();
      if (headers.length > 0) {
        names = new String[headers.length];
        values = new byte[headers.length][];
        for (int i = 0; i < headers.length; i++) {
          names[i] = headers[i].key();
          values[i] = headers[i].value();
        }
      }
    }
    KafkaMetadata meta = new KafkaMetadata(r.getTopic(), r.getPartition(), r.getOffset(),
        r.getTimestamp(), r.getKV().getKey(), names, values);
    String payload = r.getKV().getValue() == null ? "" : utf8(r.getKV().getValue());
    return new RawRecord(payload, meta.origin(), meta, watermark);
  }

  private static String utf8(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
