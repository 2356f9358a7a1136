package io.candlebeam.transforms.io;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;

/**
 * The candle file sinks: "write" stage. One file per candle pane, partitioned as the candle's
 * {@link CandleFormat} says (by symbol; trade bars and multi-timeframe jobs by timeframe first):
 *
 * <pre>
 * &lt;dir&gt;/symbol=BTCUSDT/20240101T000000.000Z_20240102T000000.000Z_pane-000.parquet
 * &lt;dir&gt;/timeframe=1h/symbol=BTCUSDT/20240101T000000.000Z_20240101T010000.000Z_pane-000.parquet
 * </pre>
 *
 * <p>The name carries the window and the pane index, and no character (such as ':') that Hadoop
 * readers reject. A candle pane always gets the same name, so a replayed pane overwrites itself;
 * panes of one window are versions of one candle, and the highest pane index is the latest.
 */
public final class WriteCandles {
  private static final DateTimeFormatter NAME_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

  private WriteCandles() {}

  public static <C> WriteIdempotentFiles<C> parquet(String directory, CandleFormat<C> format) {
    return WriteIdempotentFiles.to(
        directory, c -> fileKey(format, c), ".parquet", CandleParquet.sink(format), "parquet");
  }

  public static <C> WriteIdempotentFiles<C> json(String directory, CandleFormat<C> format) {
    return WriteIdempotentFiles.to(directory, c -> fileKey(format, c), ".jsonl",
        new TextLinesSink<>(format::toJson), "json");
  }

  /** CSV with a header row in every file (each file is a candle pane). */
  public static <C> WriteIdempotentFiles<C> csv(String directory, CandleFormat<C> format) {
    return WriteIdempotentFiles.to(directory, c -> fileKey(format, c), ".csv",
        new TextLinesSink<>(format::toCsv, c -> format.csvHeader()), "csv");
  }

  /** {@code <partition>/<window start>_<window end>_pane-<index>}. */
  public static <C> String fileKey(CandleFormat<C> format, C c) {
    return format.partition(c) + "/" + window(format.windowStart(c), format.windowEnd(c))
        + String.format("_pane-%03d", format.paneIndex(c));
  }

  /** A window as {@code <start>_<end>} in file-name-safe UTC times ("min"/"max" for global). */
  public static String window(long start, long end) {
    return time(start) + "_" + time(end);
  }

  private static String time(long millis) {
    if (millis <= BoundedWindow.TIMESTAMP_MIN_VALUE.getMillis()) {
      return "min";
    }
    if (millis >= BoundedWindow.TIMESTAMP_MAX_VALUE.getMillis() - 86_400_000L * 2) {
      return "max";
    }
    return NAME_TIME.format(java.time.Instant.ofEpochMilli(millis));
  }
}
