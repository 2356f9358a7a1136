package io.candlebeam.transforms.io;

import io.candlebeam.transforms.model.Candle;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;

/**
 * The candle file sinks: "write" stage. One file per candle pane, partitioned by symbol:
 *
 * <pre>
 * &lt;dir&gt;/symbol=BTCUSDT/20240101T000000.000Z_20240102T000000.000Z_pane-000.parquet
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

  public static WriteIdempotentFiles<Candle> parquet(String directory) {
    return WriteIdempotentFiles.to(
        directory, WriteCandles::fileKey, ".parquet", CandleParquet.sink(), "parquet");
  }

  public static WriteIdempotentFiles<Candle> json(String directory) {
    return WriteIdempotentFiles.to(
        directory, WriteCandles::fileKey, ".jsonl", new TextLinesSink<>(CandleJson::toJson), "json");
  }

  /** CSV with a header row in every file (each file is a candle pane). */
  public static WriteIdempotentFiles<Candle> csv(String directory) {
    return WriteIdempotentFiles.to(directory, WriteCandles::fileKey, ".csv",
        new TextLinesSink<>(CandleCsv::toCsv, c -> CandleCsv.HEADER), "csv");
  }

  /** {@code symbol=<symbol>/<window start>_<window end>_pane-<index>}. */
  public static String fileKey(Candle c) {
    return "symbol=" + c.symbol() + "/" + window(c.windowStart(), c.windowEnd())
        + String.format("_pane-%03d", c.paneIndex());
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
