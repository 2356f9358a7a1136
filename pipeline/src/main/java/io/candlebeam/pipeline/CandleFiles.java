package io.candlebeam.pipeline;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.avro.generic.GenericRecord;
import org.apache.hadoop.conf.Configuration;
import org.apache.parquet.avro.AvroParquetReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.util.HadoopInputFile;

/**
 * The candle files of a run's folder, as every reader of them ({@code show}, {@code chart},
 * {@code serve}, the tests) lists them: finished {@code .jsonl} and {@code .parquet} files, sorted
 * by path (so a window's panes come in index order), without hidden files (a sink's file still
 * being written) and without what is not a candle (the {@code deadletter/} and {@code late/}
 * records, the {@code checkpoint/}).
 */
public final class CandleFiles {
  /** Folders under a run's output folder that hold no candles. */
  static final Set<String> NOT_CANDLES = Set.of("deadletter", "late", "checkpoint", "flink");

  private CandleFiles() {}

  /** The finished candle files under {@code dir}, sorted; none if it does not exist. */
  public static List<Path> under(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(f -> isCandleFile(dir, f)).sorted().toList();
    }
  }

  /** Whether {@code dir} holds at least one finished file ending in {@code suffix}. */
  public static boolean holds(Path dir, String suffix) throws IOException {
    return under(dir).stream().anyMatch(f -> f.getFileName().toString().endsWith(suffix));
  }

  /** The first candle file under {@code dir} ending in {@code suffix}, or null. */
  public static Path first(Path dir, String suffix) throws IOException {
    return under(dir).stream().filter(f -> f.getFileName().toString().endsWith(suffix))
        .findFirst().orElse(null);
  }

  /** The records of one Parquet file. */
  public static List<GenericRecord> parquetRecords(Path file) throws IOException {
    List<GenericRecord> records = new ArrayList<>();
    try (ParquetReader<GenericRecord> reader = AvroParquetReader.<GenericRecord>builder(
        HadoopInputFile.fromPath(new org.apache.hadoop.fs.Path(file.toUri()), new Configuration()))
        .build()) {
      for (GenericRecord r = reader.read(); r != null; r = reader.read()) {
        records.add(r);
      }
    }
    return records;
  }

  /** Whether a candle JSON line is a trade job's bar (it has a {@code vwap}), not a ticker candle. */
  public static boolean isTradeBar(String jsonLine) {
    return jsonLine.contains("\"vwap\":");
  }

  /** The non-blank lines of one JSON-lines file. */
  public static List<String> jsonLines(Path file) throws IOException {
    return Files.readAllLines(file).stream().filter(l -> !l.isBlank()).toList();
  }

  private static boolean isCandleFile(Path root, Path f) {
    String name = f.getFileName().toString();
    if (name.startsWith(".") || !(name.endsWith(".jsonl") || name.endsWith(".parquet"))
        || !Files.isRegularFile(f)) {
      return false;
    }
    for (Path part : root.relativize(f)) {
      if (NOT_CANDLES.contains(part.toString())) {
        return false;
      }
    }
    return true;
  }
}
