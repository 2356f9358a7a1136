package io.candlebeam.pipeline;

import static io.candlebeam.transforms.CandleMetrics.counter;

import io.candlebeam.transforms.CandleMetrics;
import io.candlebeam.transforms.combine.CombinePerKeyAndWindow;
import io.candlebeam.transforms.dedup.DropDuplicates;
import io.candlebeam.transforms.io.ReadLinesFromFiles;
import io.candlebeam.transforms.kafka.ReadFromKafka;
import io.candlebeam.transforms.late.DivertTooLate;
import io.candlebeam.transforms.parse.ParseRecords;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.beam.sdk.PipelineResult;

/**
 * The counts of a run, from Beam counters, that must reconcile: records read = too late (kept in
 * the late output) + parsed + dead letters; every parsed record is a duplicate dropped, in a
 * candle, or counted as dropped for lateness by the runner. Counters are at least once across a crash on Spark (restored from a
 * checkpoint that can be ahead of the micro-batches Spark replays); for Kafka, {@link
 * #offsetsRead} is exact: the records between each partition's start offset and the reader's last
 * checkpointed position (gauges, which keep their latest value), -1 for other sources.
 */
public record RunReport(long read, long tooLate, long parsed, long duplicates, long deadLetters,
    long droppedLate,
    Map<String, Long> panes, long emptyPanesSuppressed, Map<String, Long> rowsWritten,
    long offsetsRead) {
  /** The report's file in a run's output folder, rewritten on every report of a streaming run. */
  public static final String FILE = "report.json";
  private static final String START = ReadFromKafka.START_OFFSET;
  private static final String POSITION = ReadFromKafka.POSITION;

  public static RunReport of(PipelineResult result, Iterable<String> sinks) {
    Map<String, Long> panes = new LinkedHashMap<>();
    for (String timing : new String[] {"EARLY", "ON_TIME", "LATE"}) {
      panes.put(timing, counter(result, "panes_" + timing));
    }
    Map<String, Long> rows = new LinkedHashMap<>();
    for (String sink : sinks) {
      if (!sink.equals("console")) {
        rows.put(sink, counter(result, sink + "_rows"));
      }
    }
    rows.put("deadletter", counter(result, "deadletter_rows"));
    rows.put("late", counter(result, "late_rows"));
    return new RunReport(counter(result, ReadLinesFromFiles.RECORDS_READ),
        counter(result, DivertTooLate.TOO_LATE),
        counter(result, ParseRecords.PARSED), counter(result, DropDuplicates.DUPLICATES),
        counter(result, ParseRecords.DEAD_LETTERS),
        counter(result, CandleMetrics.DROPPED_LATE), panes,
        counter(result, CombinePerKeyAndWindow.EMPTY_PANES), rows, offsetsRead(result));
  }

  /** Σ over partitions of position − start offset, or -1 if the run read no Kafka partition. */
  static long offsetsRead(PipelineResult result) {
    Map<String, Long> starts = CandleMetrics.gauges(result, START);
    Map<String, Long> positions = CandleMetrics.gauges(result, POSITION);
    if (starts.isEmpty()) {
      return -1;
    }
    long sum = 0;
    for (Map.Entry<String, Long> s : starts.entrySet()) {
      Long at = positions.get(POSITION + s.getKey().substring(START.length()));
      sum += at == null ? 0 : Math.max(0, at - s.getValue());
    }
    return sum;
  }

  public long candles() {
    return panes.values().stream().mapToLong(Long::longValue).sum();
  }

  public boolean reconciles() {
    return read == tooLate + parsed + deadLetters;
  }

  /** The counts by name ({@code records_read}, {@code dead_letters}, ...), as in {@link #FILE}. */
  public Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("records_read", read);
    m.put("too_late", tooLate);
    m.put("parsed", parsed);
    m.put("duplicates", duplicates);
    m.put("dead_letters", deadLetters);
    m.put("dropped_late", droppedLate);
    m.put("reconciles", reconciles());
    m.put("panes", panes);
    m.put("empty_panes_suppressed", emptyPanesSuppressed);
    m.put("rows_written", rowsWritten);
    m.put("kafka_offsets_read", offsetsRead < 0 ? null : offsetsRead);
    return m;
  }

  /**
   * Writes the report as JSON to {@code <outputDir>/report.json} (replacing the last one at once,
   * so a reader never sees half of it) with the time it was taken; nothing for an output folder
   * that is not local (a URL such as {@code gs://}), and a failed write only loses this report.
   */
  void writeTo(String outputDir, String state) {
    if (outputDir.contains("://")) {
      return;
    }
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("state", state);
    m.put("taken_at", Instant.now().toString());
    m.putAll(toMap());
    try {
      Path dir = Path.of(outputDir);
      Files.createDirectories(dir);
      Path tmp = Files.createTempFile(dir, "." + FILE, ".tmp");
      new ObjectMapper().writeValue(tmp.toFile(), m);
      Files.move(tmp, dir.resolve(FILE), StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | RuntimeException e) {
      System.err.println("candlebeam: could not write " + FILE + " under " + outputDir + ": " + e);
    }
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder();
    b.append(String.format("records read %d = too late %d + parsed %d + dead letters %d%s%n",
        read, tooLate, parsed, deadLetters, reconciles() ? "" : "  (DOES NOT RECONCILE)"));
    if (duplicates > 0) {
      b.append(String.format("duplicates dropped %d (of the parsed; %d went into candles)%n",
          duplicates, parsed - duplicates));
    }
    if (offsetsRead >= 0) {
      b.append(String.format("kafka offsets read %d (exact across restarts; the counts above are at "
          + "least once after a crash)%n", offsetsRead));
    }
    b.append(String.format("candle panes %d (EARLY %d, ON_TIME %d, LATE %d); dropped by the runner "
            + "as too late %d; empty panes suppressed %d%n", candles(), panes.get("EARLY"),
        panes.get("ON_TIME"), panes.get("LATE"), droppedLate, emptyPanesSuppressed));
    b.append("rows written:");
    rowsWritten.forEach((sink, n) -> b.append(' ').append(sink).append(' ').append(n));
    return b.append('\n').toString();
  }
}
