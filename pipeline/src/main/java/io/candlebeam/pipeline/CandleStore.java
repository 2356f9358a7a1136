package io.candlebeam.pipeline;

import io.candlebeam.transforms.io.CandleJson;
import io.candlebeam.transforms.io.CandleParquet;
import io.candlebeam.transforms.io.TradeCandleJson;
import io.candlebeam.transforms.jdbc.JdbcTarget;
import io.candlebeam.transforms.model.TradeCandle;
import io.candlebeam.transforms.window.Timeframes;
import io.candlebeam.transforms.model.Candle;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The current candles of a run, read back from where it wrote them: a run's output folder (its
 * {@code parquet/}, else {@code json/}, else {@code csv/} is not read), one of those folders, or
 * the PostgreSQL table. Files hold every pane; the store keeps the latest pane (highest index) of
 * each symbol and window, as the table does.
 */
public final class CandleStore {
  private CandleStore() {}

  /** Newest first, optionally one symbol only. */
  public static List<Candle> read(String from, JdbcTarget jdbc, String symbol)
      throws IOException, SQLException {
    return read(from, jdbc, symbol, null);
  }

  /** Newest first, optionally one symbol and one timeframe ({@code 1h}: window length) only. */
  public static List<Candle> read(String from, JdbcTarget jdbc, String symbol, String timeframe)
      throws IOException, SQLException {
    List<Candle> all = from.equals("jdbc") ? readTable(jdbc, symbol) : readFiles(Path.of(from));
    Map<String, Candle> latest = new LinkedHashMap<>();
    for (Candle c : all) {
      if ((symbol == null || c.symbol().equals(symbol)) && (timeframe == null
          || Timeframes.label(c.windowEnd() - c.windowStart()).equals(timeframe))) {
        latest.merge(c.symbol() + "|" + c.windowStart() + "|" + c.windowEnd(), c,
            (a, b) -> a.paneIndex() >= b.paneIndex() ? a : b);
      }
    }
    List<Candle> candles = new ArrayList<>(latest.values());
    candles.sort(Comparator.comparingLong(Candle::windowStart).reversed()
        .thenComparing(Candle::symbol));
    return candles;
  }

  /**
   * Whether {@code from} holds a trade job's bars (JSON with {@code vwap}) rather than ticker
   * candles; the PostgreSQL table is read as the ticker table.
   */
  public static boolean holdsTradeBars(String from) throws IOException {
    if (from.equals("jdbc")) {
      return false;
    }
    Path first = CandleFiles.first(Path.of(from), ".jsonl");
    return first != null && CandleFiles.jsonLines(first).stream().anyMatch(CandleFiles::isTradeBar);
  }

  /**
   * A trade job's bars from its JSON files ({@code <from>/json} or {@code from}), the latest pane of
   * each, newest first, optionally one symbol and one timeframe only.
   */
  public static List<TradeCandle> readTradeBars(String from, String symbol, String timeframe)
      throws IOException {
    Path dir = Files.isDirectory(Path.of(from, "json")) ? Path.of(from, "json") : Path.of(from);
    Map<String, TradeCandle> latest = new LinkedHashMap<>();
    for (Path f : CandleFiles.under(dir)) {
      if (!f.getFileName().toString().endsWith(".jsonl")) {
        continue;
      }
      for (String line : CandleFiles.jsonLines(f)) {
        TradeCandle c = TradeCandleJson.fromJson(line);
        if ((symbol == null || c.symbol().equals(symbol))
            && (timeframe == null || c.timeframe().equals(timeframe))) {
          latest.merge(c.symbol() + "|" + c.timeframe() + "|" + c.windowStart(), c,
              (a, b) -> a.paneIndex() >= b.paneIndex() ? a : b);
        }
      }
    }
    List<TradeCandle> bars = new ArrayList<>(latest.values());
    bars.sort(Comparator.comparingLong(TradeCandle::windowStart).reversed()
        .thenComparing(TradeCandle::symbol).thenComparing(c -> c.windowEnd() - c.windowStart()));
    return bars;
  }

  private static List<Candle> readFiles(Path from) throws IOException {
    if (!Files.isDirectory(from)) {
      throw new IllegalArgumentException("--from=" + from
          + " is not a folder: give a run's output folder, its parquet/ or json/ folder, or jdbc");
    }
    Path dir = CandleFiles.holds(from.resolve("parquet"), ".parquet") ? from.resolve("parquet")
        : CandleFiles.holds(from.resolve("json"), ".jsonl") ? from.resolve("json") : from;
    List<Candle> candles = new ArrayList<>();
    for (Path f : CandleFiles.under(dir)) {
      if (f.getFileName().toString().endsWith(".parquet")) {
        CandleFiles.parquetRecords(f).forEach(r -> candles.add(CandleParquet.fromRecord(r)));
      } else {
        CandleFiles.jsonLines(f).forEach(l -> candles.add(CandleJson.fromJson(l)));
      }
    }
    if (candles.isEmpty()) {
      throw new IllegalArgumentException("--from=" + from + " holds no candle files (.parquet, .jsonl)");
    }
    return candles;
  }

  private static List<Candle> readTable(JdbcTarget jdbc, String symbol) throws SQLException {
    String sql = "SELECT symbol, window_start, window_end, daily_open, daily_high, daily_low, "
        + "daily_close, daily_volume, daily_quote_volume, total_trades, tick_count, avg_price, "
        + "pane_timing, pane_index, is_final FROM " + jdbc.table()
        + (symbol == null ? "" : " WHERE symbol = ?");
    List<Candle> candles = new ArrayList<>();
    try (Connection c = jdbc.connect(); PreparedStatement s = c.prepareStatement(sql)) {
      if (symbol != null) {
        s.setString(1, symbol);
      }
      try (ResultSet r = s.executeQuery()) {
        while (r.next()) {
          candles.add(new Candle(r.getString(1), r.getTimestamp(2).getTime(),
              r.getTimestamp(3).getTime(), d(r, 4), d(r, 5), d(r, 6), r.getDouble(7), d(r, 8),
              d(r, 9), r.getObject(10) == null ? null : r.getLong(10), r.getLong(11),
              r.getDouble(12), r.getString(13), r.getLong(14), r.getBoolean(15)));
        }
      }
    }
    return candles;
  }

  private static Double d(ResultSet r, int column) throws SQLException {
    double v = r.getDouble(column);
    return r.wasNull() ? null : v;
  }
}
