package io.candlebeam.transforms.kafka;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.sameInstance;

import io.candlebeam.transforms.model.RawRecord;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.extensions.avro.coders.AvroCoder;
import org.apache.beam.sdk.io.UnboundedSource;
import org.apache.beam.sdk.io.kafka.KafkaCheckpointMark;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.io.kafka.KafkaTimestampType;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.checkerframework.checker.nullness.qual.Nullable;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Kafka source's read log, read by read as Beam's Spark source drives a reader: {@code start()}
 * once, {@code advance()} until it returns false (the end of a micro-batch's read), then the
 * checkpoint mark, asked twice. A fake two-partition topic stands in for KafkaIO's reader: it
 * hands out records round-robin over the partitions, as KafkaIO does, up to what was "produced".
 */
class ReadLogTest {
  private static final PipelineOptions OPTIONS = PipelineOptionsFactory.create();

  @TempDir
  Path dir;

  /** A topic whose partitions hold {@code produced[p]} records each (offsets 0..n-1). */
  private static final class FakeTopic
      extends UnboundedSource<KafkaRecord<byte[], byte[]>, KafkaCheckpointMark> {
    final long[] produced;
    /** Where a reader without a mark starts: the end of each partition, or offset 0. */
    final boolean latest;

    FakeTopic(int partitions) {
      this(partitions, false);
    }

    FakeTopic(int partitions, boolean latest) {
      this.produced = new long[partitions];
      this.latest = latest;
    }

    void produce(int perPartition) {
      for (int p = 0; p < produced.length; p++) {
        produced[p] += perPartition;
      }
    }

    @Override
    public List<FakeTopic> split(int n, PipelineOptions options) {
      return List.of(this);
    }

    @Override
    public UnboundedReader<KafkaRecord<byte[], byte[]>> createReader(PipelineOptions options,
        @Nullable KafkaCheckpointMark mark) {
      long[] next = new long[produced.length];
      if (mark != null) {
        mark.getPartitions().forEach(m -> next[m.getPartition()] = m.getNextOffset());
      } else if (latest) {
        System.arraycopy(produced, 0, next, 0, next.length);
      }
      return new UnboundedReader<>() {
        int turn = -1;
        @Nullable KafkaRecord<byte[], byte[]> current;

        @Override
        public boolean start() {
          return advance();
        }

        @Override
        public boolean advance() {
          for (int i = 0; i < next.length; i++) {
            turn = (turn + 1) % next.length;
            if (next[turn] < produced[turn]) {
              long offset = next[turn]++;
              current = new KafkaRecord<>("t", turn, offset, offset,
                  KafkaTimestampType.CREATE_TIME, null, null,
                  (turn + "@" + offset).getBytes(StandardCharsets.UTF_8));
              return true;
            }
          }
          return false;
        }

        @Override
        public KafkaRecord<byte[], byte[]> getCurrent() {
          if (current == null) {
            throw new NoSuchElementException();
          }
          return current;
        }

        @Override
        public Instant getCurrentTimestamp() {
          return new Instant(getCurrent().getOffset());
        }

        @Override
        public Instant getWatermark() {
          return BoundedWindow.TIMESTAMP_MIN_VALUE;
        }

        @Override
        public CheckpointMark getCheckpointMark() {
          List<KafkaCheckpointMark.PartitionMark> marks = new ArrayList<>();
          for (int p = 0; p < next.length; p++) {
            marks.add(new KafkaCheckpointMark.PartitionMark("t", p, next[p], 0));
          }
          return new KafkaCheckpointMark(marks, Optional.empty());
        }

        @Override
        public UnboundedSource<KafkaRecord<byte[], byte[]>, ?> getCurrentSource() {
          return FakeTopic.this;
        }

        @Override
        public void close() {}
      };
    }

    @Override
    public Coder<KafkaCheckpointMark> getCheckpointMarkCoder() {
      return AvroCoder.of(KafkaCheckpointMark.class);
    }

    @Override
    public Coder<KafkaRecord<byte[], byte[]>> getOutputCoder() {
      throw new UnsupportedOperationException();
    }
  }

  private KafkaRecordSource source(FakeTopic topic, boolean logged) {
    EventTimeWatermarks watermarks = new EventTimeWatermarks(UUID.randomUUID().toString(),
        Duration.standardHours(1), Duration.standardMinutes(1), v -> null);
    return new KafkaRecordSource(topic, watermarks, 0, null,
        logged ? new ReadLog(dir.toString()) : null, "t-0+t-1");
  }

  /** One micro-batch's read: start (the first time) or advance until nothing more; the records. */
  private static List<String> readBatch(UnboundedSource.UnboundedReader<RawRecord> reader,
      boolean first) throws IOException {
    List<String> read = new ArrayList<>();
    for (boolean more = first ? reader.start() : reader.advance(); more; more = reader.advance()) {
      read.add(reader.getCurrent().payload());
    }
    return read;
  }

  private static List<String> records(int partition, int from, int to) {
    return IntStream.range(from, to).mapToObj(o -> partition + "@" + o).toList();
  }

  /** Records of {@code partition} in {@code read}, in the order read. */
  private static List<String> inPartition(List<String> read, int partition) {
    return read.stream().filter(r -> r.startsWith(partition + "@")).toList();
  }

  /** The next read takes offsets {@code from..to-1} of both partitions, each once, in order. */
  private static void assertNextReadTakesBothPartitions(
      UnboundedSource.UnboundedReader<RawRecord> reader, int from, int to) throws IOException {
    List<String> read = readBatch(reader, false);
    assertThat(inPartition(read, 0), is(records(0, from, to)));
    assertThat(inPartition(read, 1), is(records(1, from, to)));
  }

  /** Produces 3 records a partition and reads them as a fresh run's read 0 (6 records). */
  private static UnboundedSource.UnboundedReader<RawRecord> freshRunReadingThreeEach(
      FakeTopic topic, KafkaRecordSource source) throws IOException {
    topic.produce(3);
    UnboundedSource.UnboundedReader<RawRecord> run = source.createReader(OPTIONS, null);
    assertThat(readBatch(run, true).size(), is(6));
    return run;
  }

  private static Map<Integer, Long> offsets(ReadMark mark) {
    return mark.offsets().getPartitions().stream().collect(java.util.stream.Collectors.toMap(
        KafkaCheckpointMark.PartitionMark::getPartition,
        KafkaCheckpointMark.PartitionMark::getNextOffset));
  }

  @Test
  void aReadDoneAgainAfterACrashTakesWhatTheFirstReadingTookAndNoMore() throws IOException {
    FakeTopic topic = new FakeTopic(2);
    KafkaRecordSource source = source(topic, true);
    // Run 1, read 0: caught up after 3 records a partition; Spark asks for the mark twice.
    UnboundedSource.UnboundedReader<RawRecord> run1 = freshRunReadingThreeEach(topic, source);
    ReadMark mark1 = (ReadMark) run1.getCheckpointMark();
    assertThat(run1.getCheckpointMark(), sameInstance(mark1));
    assertThat(mark1.read(), is(1L));
    // Read 1: nothing new. Then the job dies; 5 more records a partition arrive meanwhile.
    assertThat(readBatch(run1, false).size(), is(0));
    assertThat(((ReadMark) run1.getCheckpointMark()).read(), is(2L));
    topic.produce(5);

    // Run 2 restores no state (Spark had checkpointed none): read 0 again, from the start. A
    // read bounded by time would take all 16 records a partition has now; the log bounds it.
    UnboundedSource.UnboundedReader<RawRecord> run2 = source.createReader(OPTIONS, null);
    List<String> again = readBatch(run2, true);
    List<String> first = new ArrayList<>(records(0, 0, 3));
    first.addAll(records(1, 0, 3));
    assertThat(again, containsInAnyOrder(first.toArray()));
    ReadMark redone = (ReadMark) run2.getCheckpointMark();
    assertThat(offsets(redone), is(offsets(mark1)));
    // Read 1 again: it read nothing the first time, and reads nothing now.
    assertThat(readBatch(run2, false).size(), is(0));
    assertThat(((ReadMark) run2.getCheckpointMark()).read(), is(2L));
    // Read 2 was never done: it takes the rest, each record once, partitions in offset order.
    assertNextReadTakesBothPartitions(run2, 3, 8);
  }

  /**
   * {@code --startingOffsets=latest}, the default: a crash before Spark's first state checkpoint
   * makes it build the reader again from no state, and read 0 again. Without the logged start that
   * reader would start at the topic's end at restart: the first run's records would be missing from
   * the state and those produced while it was down never read.
   */
  @Test
  void aReaderBuiltAgainFromNoStateStartsWhereTheFirstStartedAtLatest() throws IOException {
    FakeTopic topic = new FakeTopic(2, true);
    KafkaRecordSource source = source(topic, true);
    topic.produce(3); // before the job: not read
    // Run 1, read 0: starts at the end (3 a partition), nothing new yet.
    UnboundedSource.UnboundedReader<RawRecord> run1 = source.createReader(OPTIONS, null);
    assertThat(readBatch(run1, true).size(), is(0));
    assertThat(offsets((ReadMark) run1.getCheckpointMark()), is(Map.of(0, 3L, 1, 3L)));
    // Read 1 takes 4 records a partition; the job dies; 5 more a partition arrive meanwhile.
    topic.produce(4);
    List<String> read1 = readBatch(run1, false);
    assertThat(read1.size(), is(8));
    run1.getCheckpointMark();
    topic.produce(5);

    // Run 2, no state: read 0 again from where run 1 started, taking nothing as it did
    UnboundedSource.UnboundedReader<RawRecord> run2 = source.createReader(OPTIONS, null);
    assertThat(readBatch(run2, true), empty());
    assertThat(offsets((ReadMark) run2.getCheckpointMark()), is(Map.of(0, 3L, 1, 3L)));
    // read 1 again: exactly run 1's 8 records; then read 2 takes the 10 produced while down.
    assertThat(readBatch(run2, false), containsInAnyOrder(read1.toArray()));
    run2.getCheckpointMark();
    assertNextReadTakesBothPartitions(run2, 7, 12);
  }

  @Test
  void withoutALogAReaderBuiltAgainAtLatestStartsAtTheEndOfTheTopic() throws IOException {
    FakeTopic topic = new FakeTopic(2, true);
    KafkaRecordSource source = source(topic, false);
    UnboundedSource.UnboundedReader<RawRecord> run1 = source.createReader(OPTIONS, null);
    readBatch(run1, true);
    run1.getCheckpointMark();
    topic.produce(4);
    assertThat(readBatch(run1, false).size(), is(8));
    topic.produce(5);
    // The behaviour the logged start exists for: run 1's 8 records and the 10 since are skipped.
    UnboundedSource.UnboundedReader<RawRecord> run2 = source.createReader(OPTIONS, null);
    assertThat(readBatch(run2, true), empty());
    assertThat(offsets((ReadMark) run2.getCheckpointMark()), is(Map.of(0, 9L, 1, 9L)));
  }

  @Test
  void theStartIsLoggedOnceWhereTheFirstReaderStartedBeforeItsFirstRecord() throws IOException {
    FakeTopic topic = new FakeTopic(2);
    freshRunReadingThreeEach(topic, source(topic, true)); // start() took 0@0: the start is 0
    ReadLog log = new ReadLog(dir.toString());
    assertThat(log.start("t-0+t-1"), is(new ReadLog.Entry(Map.of("t-0", 0L, "t-1", 0L),
        Long.MIN_VALUE)));
    log.recordStartIfAbsent("t-0+t-1", Map.of("t-0", 5L, "t-1", 5L));
    assertThat(log.start("t-0+t-1").ends(), is(Map.of("t-0", 0L, "t-1", 0L)));
  }

  @Test
  void withoutALogAReadDoneAgainTakesWhateverIsThere() throws IOException {
    FakeTopic topic = new FakeTopic(2);
    KafkaRecordSource source = source(topic, false);
    freshRunReadingThreeEach(topic, source);
    topic.produce(5);
    // The behaviour the log exists for: the second reading of read 0 takes 16 records.
    assertThat(readBatch(source.createReader(OPTIONS, null), true).size(), is(16));
    assertThat(Files.exists(dir.resolve("t-0+t-1")), is(false));
  }

  @Test
  void recordsPastOnePartitionsBoundAreHeldForTheNextReadAndTheMarkStaysAtTheBound()
      throws IOException {
    FakeTopic topic = new FakeTopic(2);
    KafkaRecordSource source = source(topic, true);
    // The first reading of read 0 ended at offset 1 of partition 0 and 3 of partition 1.
    new ReadLog(dir.toString()).recordIfAbsent("t-0+t-1", 0,
        new ReadLog.Entry(Map.of("t-0", 1L, "t-1", 3L), Long.MIN_VALUE));
    topic.produce(4);
    UnboundedSource.UnboundedReader<RawRecord> reader = source.createReader(OPTIONS, null);
    // KafkaIO's reader hands out 0@1 and 0@2 before 1@1 and 1@2: both are held back.
    assertThat(readBatch(reader, true), contains("0@0", "1@0", "1@1", "1@2"));
    ReadMark mark = (ReadMark) reader.getCheckpointMark();
    assertThat(offsets(mark), is(Map.of(0, 1L, 1, 3L)));
    // The next read starts with what was held, in order, and loses nothing.
    List<String> next = readBatch(reader, false);
    assertThat(inPartition(next, 0), is(records(0, 1, 4)));
    assertThat(inPartition(next, 1), is(records(1, 3, 4)));
    // A reader restored from the mark (Spark's state) starts at the bound, not past it.
    UnboundedSource.UnboundedReader<RawRecord> restored = source.createReader(OPTIONS, mark);
    List<String> fromMark = readBatch(restored, true);
    assertThat(inPartition(fromMark, 0),
        is(records(0, 1, 4)));
  }

  @Test
  void aReadHoldingTooManyRecordsEndsShortAndTheNextReadTakesTheRestOnce() throws IOException {
    FakeTopic topic = new FakeTopic(2);
    KafkaRecordSource source = source(topic, true);
    int n = BoundedReads.MAX_HELD + 10_000;
    // The first reading took 1 record of partition 0 and all of partition 1.
    new ReadLog(dir.toString()).recordIfAbsent("t-0+t-1", 0,
        new ReadLog.Entry(Map.of("t-0", 1L, "t-1", (long) n), Long.MIN_VALUE));
    topic.produce(n);
    UnboundedSource.UnboundedReader<RawRecord> reader = source.createReader(OPTIONS, null);
    List<String> first = readBatch(reader, true);
    // Partition 0's records past its end pile up while partition 1 is read: the read stops
    assertThat(first.size(), is(1 + BoundedReads.MAX_HELD));
    // and stays stopped, whatever the runner's retries until its read time is up
    assertThat(reader.advance() || reader.advance(), is(false));
    ReadMark mark = (ReadMark) reader.getCheckpointMark();
    assertThat(offsets(mark), is(Map.of(0, 1L, 1, (long) BoundedReads.MAX_HELD)));
    List<String> rest = readBatch(reader, false);
    assertThat(inPartition(rest, 0), is(records(0, 1, n)));
    assertThat(inPartition(rest, 1),
        is(records(1, BoundedReads.MAX_HELD, n)));
  }

  @Test
  void anEntryIsWrittenOnceAndOldEntriesAreDeleted() {
    ReadLog log = new ReadLog(dir.toString());
    assertThat(log.entry("s", 7), nullValue());
    log.recordIfAbsent("s", 7, new ReadLog.Entry(Map.of("t-0", 5L), 100));
    // a later reading never replaces the first
    log.recordIfAbsent("s", 7, new ReadLog.Entry(Map.of("t-0", 9L), 200));
    assertThat(log.entry("s", 7), is(new ReadLog.Entry(Map.of("t-0", 5L), 100)));
    log.recordIfAbsent("s", 7 + ReadLog.KEEP, new ReadLog.Entry(Map.of("t-0", 6L), 300));
    assertThat(log.entry("s", 7), nullValue());
    assertThat(log.entry("s", 7 + ReadLog.KEEP),
        is(new ReadLog.Entry(Map.of("t-0", 6L), 300)));
  }

  @Test
  void aReadDoneAgainReportsTheWatermarkOfItsFirstReadingUnlessItEndedShort() throws IOException {
    FakeTopic topic = new FakeTopic(2);
    topic.produce(3);
    long clocks = source(topic, false).createReader(OPTIONS, null).getWatermark().getMillis();
    long first = clocks + 5_000;
    ReadLog log = new ReadLog(dir.toString());
    log.recordIfAbsent("t-0+t-1", 0, new ReadLog.Entry(Map.of("t-0", 3L, "t-1", 3L), first));
    // Read 1 ended past what has been produced: its second reading ends short.
    log.recordIfAbsent("t-0+t-1", 1, new ReadLog.Entry(Map.of("t-0", 9L, "t-1", 9L), first + 1));
    UnboundedSource.UnboundedReader<RawRecord> reader = source(topic, true)
        .createReader(OPTIONS, null);
    assertThat(readBatch(reader, true).size(), is(6));
    reader.getCheckpointMark();
    // The watermark Spark asks for after the read, and the one the next read's records carry
    assertThat(reader.getWatermark().getMillis(), is(first));
    topic.produce(1);
    List<RawRecord> next = new ArrayList<>();
    for (boolean more = reader.advance(); more; more = reader.advance()) {
      next.add(reader.getCurrent());
    }
    assertThat(next.size(), is(2));
    assertThat(next.get(0).watermarkAtRead(), is(first));
    reader.getCheckpointMark();
    // Short of its end: the clocks', never less than reported before
    assertThat(reader.getWatermark().getMillis(), is(Math.max(first, clocks)));
    // What a first reading reports is logged with where it ended
    assertThat(log.entry("t-0+t-1", 2), nullValue());
    reader.advance();
    reader.getCheckpointMark();
    assertThat(log.entry("t-0+t-1", 2).watermark(), is(reader.getWatermark().getMillis()));
  }

  @Test
  void splitFolderNamesAreThePartitionsOrAShortUniqueName() {
    assertThat(ReadLog.splitName(List.of("crypto-prices-0", "crypto-prices-2")),
        is("crypto-prices-0+crypto-prices-2"));
    List<String> many = IntStream.range(0, 64).mapToObj(p -> "crypto-prices-" + p).toList();
    List<String> others = IntStream.range(0, 65).mapToObj(p -> "crypto-prices-" + p).toList();
    assertThat(ReadLog.splitName(many).length(), lessThanOrEqualTo(100));
    assertThat(ReadLog.splitName(many).equals(ReadLog.splitName(others)), is(false));
  }

  @Test
  void theMarkKeepsKafkasOffsetsAndTheReadNumberThroughItsCoder() throws IOException {
    Coder<ReadMark> coder = new ReadMark.ReadMarkCoder(AvroCoder.of(KafkaCheckpointMark.class));
    ReadMark mark = new ReadMark(new KafkaCheckpointMark(
        List.of(new KafkaCheckpointMark.PartitionMark("t", 3, 42, 7)), Optional.empty()), 12);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    coder.encode(mark, out);
    ReadMark back = coder.decode(new ByteArrayInputStream(out.toByteArray()));
    assertThat(back.read(), is(12L));
    KafkaCheckpointMark.PartitionMark p = back.offsets().getPartitions().get(0);
    assertThat(List.of(p.getTopic(), p.getPartition(), p.getNextOffset(), p.getWatermarkMillis()),
        is(List.of("t", 3, 42L, 7L)));
  }
}
