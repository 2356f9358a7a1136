package io.candlebeam.pipeline.serve;

import io.candlebeam.pipeline.CandleFiles;
import io.candlebeam.transforms.io.CandleJson;
import io.candlebeam.transforms.io.CandleParquet;
import io.candlebeam.transforms.io.TradeCandleJson;
import io.candlebeam.transforms.io.TradeCandles;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.generic.GenericRecord;

/**
 * The candle files of a run (its {@code json/}, else its {@code parquet/} folder, else the folder
 * given), read incrementally: a poll lists the folder and reads only the files that are new or
 * were replaced since the last poll (a sink renames each finished file into place, so a file is
 * never read half-written; a replayed pane replaces its own file). Ticker candles and trade bars
 * are told apart per record.
 */
public final class FileFeed implements CandleFeed {
  private final Path from;
  private final Map<Path, String> read = new HashMap<>();

  public FileFeed(Path from) {
    this.from = from;
  }

  /** The folder the candles are read from now (a run's json/ can appear after the run starts). */
  Path folder() {
    for (String sink : new String[] {"json", "parquet"}) {
      if (Files.isDirectory(from.resolve(sink))) {
        return from.resolve(sink);
      }
    }
    return from;
  }

  @Override
  public List<ServedCandle> poll() throws IOException {
    if (!Files.isDirectory(from)) {
      throw new IOException(from + " is not a folder (yet): no candles to serve");
    }
    List<ServedCandle> panes = new ArrayList<>();
    for (Path f : CandleFiles.under(folder())) {
      BasicFileAttributes a;
      try {
        a = Files.readAttributes(f, BasicFileAttributes.class);
      } catch (java.nio.file.NoSuchFileException gone) {
        continue; // replaced between the listing and now: the next poll reads the new one
      }
      String stamp = a.size() + "@" + a.lastModifiedTime().toMillis() + "#" + a.fileKey();
      if (stamp.equals(read.get(f))) {
        continue;
      }
      try {
        panes.addAll(readFile(f));
        read.put(f, stamp);
      } catch (java.nio.file.NoSuchFileException gone) {
        // replaced while reading: read again next time
      }
    }
    return panes;
  }

  @Override
  public String describe() {
    return folder().toString();
  }

  static List<ServedCandle> readFile(Path f) throws IOException {
    List<ServedCandle> panes = new ArrayList<>();
    if (f.getFileName().toString().endsWith(".parquet")) {
      for (GenericRecord r : CandleFiles.parquetRecords(f)) {
        panes.add(r.getSchema().getField("vwap") != null ? tradeBar(r)
            : ServedCandle.of(CandleParquet.fromRecord(r)));
      }
    } else {
      for (String line : CandleFiles.jsonLines(f)) {
        panes.add(CandleFiles.isTradeBar(line) ? ServedCandle.of(TradeCandleJson.fromJson(line))
            : ServedCandle.of(CandleJson.fromJson(line)));
      }
    }
    return panes;
  }

  /** A trade bar's Parquet record (decimal(38,18) columns) as served. */
  private static ServedCandle tradeBar(GenericRecord r) {
    long start = ((Number) r.get("window_start")).longValue();
    long end = ((Number) r.get("window_end")).longValue();
    return new ServedCandle(r.get("symbol").toString(), r.get("timeframe").toString(), start, end,
        TradeCandles.fromParquet(r.get("open")), TradeCandles.fromParquet(r.get("high")),
        TradeCandles.fromParquet(r.get("low")), TradeCandles.fromParquet(r.get("close")),
        TradeCandles.fromParquet(r.get("volume")), ((Number) r.get("trades")).longValue(),
        r.get("pane_timing").toString(), ((Number) r.get("pane_index")).longValue(),
        (Boolean) r.get("is_final"));
  }
}
