package io.candlebeam.transforms.io;

import io.candlebeam.transforms.model.Candle;
import io.candlebeam.transforms.window.Timeframes;
import java.math.BigDecimal;
import java.math.MathContext;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.util.Comparator;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/**
 * The ticker job's {@link Candle} for the sinks: the seed's columns ({@link CandleJson}, {@link
 * CandleCsv}, {@link CandleParquet}), files partitioned {@code symbol=XXX/}, the table {@code
 * crypto_daily_stats} keyed by (symbol, window start). With several timeframes ({@link
 * #withTimeframes}) the partition becomes {@code timeframe=1h/symbol=XXX/} and the Kafka key
 * carries the timeframe; the table cannot hold them (its key has no timeframe).
 */
public final class TickerCandles implements CandleFormat<Candle> {
  private static final String HEADER = String.format(
      "%-10s %-12s %14s %14s %14s %14s %16s %18s %10s %7s %14s  %s",
      "date", "symbol", "daily_open", "daily_high", "daily_low", "daily_close", "daily_volume",
      "daily_quote_volume", "trades", "ticks", "avg_price", "pane");
  private final boolean timeframes;

  private TickerCandles(boolean timeframes) {
    this.timeframes = timeframes;
  }

  /** One window length: the seed's layout. */
  public static TickerCandles seed() {
    return new TickerCandles(false);
  }

  /** Several timeframes in one job: the timeframe is part of every path and key. */
  public static TickerCandles withTimeframes() {
    return new TickerCandles(true);
  }

  public boolean hasTimeframes() {
    return timeframes;
  }

  @Override
  public String partition(Candle c) {
    String symbol = "symbol=" + c.symbol();
    return timeframes ? "timeframe=" + timeframe(c) + "/" + symbol : symbol;
  }

  private static String timeframe(Candle c) {
    return Timeframes.label(c.windowEnd() - c.windowStart());
  }

  @Override
  public long windowStart(Candle c) {
    return c.windowStart();
  }

  @Override
  public long windowEnd(Candle c) {
    return c.windowEnd();
  }

  @Override
  public long paneIndex(Candle c) {
    return c.paneIndex();
  }

  @Override
  public String kafkaKey(Candle c) {
    return c.symbol() + "|" + (timeframes ? timeframe(c) + "|" : "")
        + Instant.ofEpochMilli(c.windowStart());
  }

  @Override
  public String toJson(Candle c) {
    return CandleJson.toJson(c);
  }

  @Override
  public String csvHeader() {
    return CandleCsv.HEADER;
  }

  @Override
  public String toCsv(Candle c) {
    return CandleCsv.toCsv(c);
  }

  @Override
  public Schema parquetSchema() {
    return CandleParquet.SCHEMA;
  }

  @Override
  public GenericRecord toRecord(Candle c) {
    return CandleParquet.toRecord(c);
  }

  @Override
  public String tableHeader() {
    return HEADER;
  }

  @Override
  public String tableRow(Candle c) {
    String date = Instant.ofEpochMilli(c.windowStart()).toString();
    if (date.endsWith("T00:00:00Z")) {
      date = date.substring(0, 10);
    }
    return String.format("%-10s %-12s %14s %14s %14s %14s %16s %18s %10s %7d %14s  %s#%d%s",
        date, c.symbol(), num(c.open()), num(c.high()), num(c.low()), num(c.close()),
        num(c.volume()), num(c.quoteVolume()), c.totalTrades() == null ? "-" : c.totalTrades(),
        c.tickCount(), num(c.avgPrice()), c.paneTiming(), c.paneIndex(), c.isFinal() ? " final" : "");
  }

  private static String num(Double v) {
    if (v == null) {
      return "-";
    }
    return new BigDecimal(v).round(new MathContext(10)).stripTrailingZeros().toPlainString();
  }

  @Override
  public Comparator<Candle> tableOrder() {
    Comparator<Candle> bySymbol = Comparator.comparing(Candle::symbol);
    if (timeframes) {
      bySymbol = bySymbol.thenComparing(c -> c.windowEnd() - c.windowStart());
    }
    return bySymbol.thenComparing(Candle::windowStart).thenComparing(Candle::paneIndex);
  }

  @Override
  public String createTableSql(String table) {
    return "CREATE TABLE IF NOT EXISTS " + table + " ("
        + "symbol TEXT NOT NULL, "
        + "window_start TIMESTAMPTZ NOT NULL, "
        + "window_end TIMESTAMPTZ NOT NULL, "
        + "daily_open DOUBLE PRECISION, "
        + "daily_high DOUBLE PRECISION, "
        + "daily_low DOUBLE PRECISION, "
        + "daily_close DOUBLE PRECISION NOT NULL, "
        + "daily_volume DOUBLE PRECISION, "
        + "daily_quote_volume DOUBLE PRECISION, "
        + "total_trades BIGINT, "
        + "tick_count BIGINT NOT NULL, "
        + "avg_price DOUBLE PRECISION NOT NULL, "
        + "pane_timing TEXT NOT NULL, "
        + "pane_index BIGINT NOT NULL, "
        + "is_final BOOLEAN NOT NULL, "
        + "updated_at TIMESTAMPTZ NOT NULL DEFAULT now(), "
        + "PRIMARY KEY (symbol, window_start))";
  }

  @Override
  public String upsertSql(String table) {
    return "INSERT INTO " + table + " (symbol, window_start, window_end, daily_open, daily_high, "
        + "daily_low, daily_close, daily_volume, daily_quote_volume, total_trades, tick_count, "
        + "avg_price, pane_timing, pane_index, is_final, updated_at) "
        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, now()) "
        + "ON CONFLICT (symbol, window_start) DO UPDATE SET window_end = EXCLUDED.window_end, "
        + "daily_open = EXCLUDED.daily_open, daily_high = EXCLUDED.daily_high, "
        + "daily_low = EXCLUDED.daily_low, daily_close = EXCLUDED.daily_close, "
        + "daily_volume = EXCLUDED.daily_volume, daily_quote_volume = EXCLUDED.daily_quote_volume, "
        + "total_trades = EXCLUDED.total_trades, tick_count = EXCLUDED.tick_count, "
        + "avg_price = EXCLUDED.avg_price, pane_timing = EXCLUDED.pane_timing, "
        + "pane_index = EXCLUDED.pane_index, is_final = EXCLUDED.is_final, updated_at = now() "
        + "WHERE " + table + ".pane_index <= EXCLUDED.pane_index";
  }

  @Override
  public void bind(PreparedStatement s, Candle c) throws SQLException {
    s.setString(1, c.symbol());
    s.setTimestamp(2, new Timestamp(c.windowStart()));
    s.setTimestamp(3, new Timestamp(c.windowEnd()));
    setDouble(s, 4, c.open());
    setDouble(s, 5, c.high());
    setDouble(s, 6, c.low());
    s.setDouble(7, c.close());
    setDouble(s, 8, c.volume());
    setDouble(s, 9, c.quoteVolume());
    if (c.totalTrades() == null) {
      s.setNull(10, Types.BIGINT);
    } else {
      s.setLong(10, c.totalTrades());
    }
    s.setLong(11, c.tickCount());
    s.setDouble(12, c.avgPrice());
    s.setString(13, c.paneTiming());
    s.setLong(14, c.paneIndex());
    s.setBoolean(15, c.isFinal());
  }

  private static void setDouble(PreparedStatement s, int i, Double v) throws SQLException {
    if (v == null) {
      s.setNull(i, Types.DOUBLE);
    } else {
      s.setDouble(i, v);
    }
  }
}
