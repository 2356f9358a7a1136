package io.candlebeam.transforms.kafka;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.io.kafka.KafkaCheckpointMark;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Where each read of a split ended, per read: the next offset of every partition when read number
 * {@code n} of the split ended, and the watermark the reader reported then, in {@code
 * <dir>/<split>/<n>.offsets} (one {@code topic-partition offset} line per partition, then {@code
 * watermark <epoch ms>}). The offset log of Spark Structured Streaming, for Beam's Spark
 * source: after a crash Spark reads again the micro-batches since its last state checkpoint, and a
 * read bounded by time would take more records the second time, records whose outputs no batch
 * writes (docs/kafka.md). A read that finds its entry reads no further than it says.
 *
 * <p>An entry is written once, when its read ends (before the micro-batch's outputs run), and never
 * replaced; entries more than {@value #KEEP} reads old are deleted. A split's first reader also
 * logs where it started ({@code <dir>/<split>/start.offsets}, same format), and a reader Spark
 * builds again from no state starts there: with {@code --startingOffsets=latest} it would
 * otherwise start at the topic's end at restart. A local or mounted folder, as the Spark
 * checkpoint it sits in.
 */
final class ReadLog implements Serializable {
  /** Reads kept per split: Spark restores state checkpointed every 10 micro-batches by default. */
  static final int KEEP = 1000;
  private static final String WATERMARK = "watermark";
  private static final String START = "start";
  private final String dir;

  /** Where a read ended: the next offset per {@code topic-partition}, the watermark reported. */
  record Entry(Map<String, Long> ends, long watermark) {}

  ReadLog(String dir) {
    this.dir = dir;
  }

  /** Where read {@code n} of {@code split} ended, if it is logged. */
  @Nullable Entry entry(String split, long n) {
    return read(path(split, n));
  }

  /** Where the first reader of {@code split} started (its watermark: none), if it is logged. */
  @Nullable Entry start(String split) {
    return read(path(split, START));
  }

  /** Records where the first reader of {@code split} started, unless it is recorded already. */
  void recordStartIfAbsent(String split, Map<String, Long> offsets) {
    write(path(split, START), new Entry(offsets, Long.MIN_VALUE));
  }

  private static @Nullable Entry read(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the Kafka read log " + file, e);
    }
    Map<String, Long> ends = new LinkedHashMap<>();
    long watermark = Long.MIN_VALUE;
    for (String line : lines) {
      int space = line.lastIndexOf(' ');
      if (space > 0) {
        String name = line.substring(0, space);
        long value = Long.parseLong(line.substring(space + 1));
        if (name.equals(WATERMARK)) {
          watermark = value;
        } else {
          ends.put(name, value);
        }
      }
    }
    return new Entry(ends, watermark);
  }

  /** Records where read {@code n} of {@code split} ended, unless it is recorded already. */
  void recordIfAbsent(String split, long n, Entry entry) {
    if (write(path(split, n), entry)) {
      try {
        Files.deleteIfExists(path(split, n - KEEP));
      } catch (IOException e) {
        throw new UncheckedIOException("cannot delete an old Kafka read log entry", e);
      }
    }
  }

  /** Writes {@code entry} to {@code file} unless it exists; whether it wrote. */
  private static boolean write(Path file, Entry entry) {
    if (Files.exists(file)) {
      return false;
    }
    List<String> lines = new ArrayList<>();
    entry.ends().forEach((partition, offset) -> lines.add(partition + " " + offset));
    lines.add(WATERMARK + " " + entry.watermark());
    try {
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.write(tmp, lines, StandardCharsets.UTF_8);
      Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the Kafka read log " + file, e);
    }
  }

  private Path path(String split, long n) {
    return path(split, Long.toString(n));
  }

  private Path path(String split, String name) {
    return Path.of(dir, split, name + ".offsets");
  }

  /** {@code topic-partition}: how the log (and the source's gauges) name a partition. */
  static String partitionName(String topic, int partition) {
    return topic + "-" + partition;
  }

  static String partitionName(KafkaCheckpointMark.PartitionMark p) {
    return partitionName(p.getTopic(), p.getPartition());
  }

  /** A folder name for the split reading {@code partitions}: their names, or a hash of them. */
  static String splitName(List<String> partitions) {
    String joined = String.join("+", partitions).replaceAll("[^A-Za-z0-9._+-]", "_");
    return joined.length() <= 100 ? joined
        : partitions.get(0).replaceAll("[^A-Za-z0-9._-]", "_") + "+" + partitions.size() + "-"
            + Integer.toHexString(String.join(",", partitions).hashCode());
  }
}
