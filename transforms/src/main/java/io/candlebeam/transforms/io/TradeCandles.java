package io.candlebeam.transforms.io;

import io.candlebeam.transforms.model.TradeCandle;
import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.nio.ByteBuffer;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;

/**
 * Trade bars ({@link TradeCandle}) for the sinks: the columns of {@link TradeCandleJson} everywhere,
 * files partitioned {@code timeframe=1h/symbol=XXX/}, Kafka keys {@code symbol|timeframe|start},
 * and a table keyed by (symbol, timeframe, window start). Decimals are exact in JSON, CSV and
 * PostgreSQL ({@code NUMERIC}); Parquet stores them as {@code decimal(38,18)}, rounded half-even to
 * 18 places where a value has more.
 */
public final class TradeCandles implements CandleFormat<TradeCandle> {
  /** The table a trade job upserts into unless told otherwise. */
  public static final String DEFAULT_TABLE = "crypto_candles";
  public static final int PARQUET_SCALE = 18;
  private static final String HEADER = String.format(
      "%-4s %-12s %-20s %14s %14s %14s %14s %16s %9s %14s  %s",
      "tf", "symbol", "window_start", "open", "high", "low", "close", "volume", "trades", "vwap",
      "pane");
  private static final Schema SCHEMA = schema();

  @Override
  public String partition(TradeCandle c) {
    return "timeframe=" + c.timeframe() + "/symbol=" + c.symbol();
  }

  @Override
  public long windowStart(TradeCandle c) {
    return c.windowStart();
  }

  @Override
  public long windowEnd(TradeCandle c) {
    return c.windowEnd();
  }

  @Override
  public long paneIndex(TradeCandle c) {
    return c.paneIndex();
  }

  @Override
  public String kafkaKey(TradeCandle c) {
    return c.symbol() + "|" + c.timeframe() + "|" + Instant.ofEpochMilli(c.windowStart());
  }

  @Override
  public String toJson(TradeCandle c) {
    return TradeCandleJson.toJson(c);
  }

  @Override
  public String csvHeader() {
    return String.join(",", TradeCandleJson.COLUMNS);
  }

  @Override
  public String toCsv(TradeCandle c) {
    return Stream.of(c.timeframe(), c.symbol(), iso(c.windowStart()), iso(c.windowEnd()),
            plain(c.open()), plain(c.high()), plain(c.low()), plain(c.close()),
            plain(c.volume()), plain(c.quoteVolume()), Long.toString(c.trades()), plain(c.vwap()),
            plain(c.buyVolume()), plain(c.sellVolume()), iso(c.openTime()), iso(c.highTime()),
            iso(c.lowTime()), iso(c.closeTime()), Long.toString(c.firstTradeId()),
            Long.toString(c.lastTradeId()), Long.toString(c.records()), c.paneTiming(),
            Long.toString(c.paneIndex()), Boolean.toString(c.isFinal()))
        .map(CandleCsv::field).collect(Collectors.joining(","));
  }

  private static Schema schema() {
    Schema timestamp = LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG));
    Schema decimal = LogicalTypes.decimal(38, PARQUET_SCALE)
        .addToSchema(Schema.create(Schema.Type.BYTES));
    SchemaBuilder.FieldAssembler<Schema> f =
        SchemaBuilder.record("TradeCandle").namespace("io.candlebeam").fields()
            .requiredString("timeframe").requiredString("symbol")
            .name("window_start").type(timestamp).noDefault()
            .name("window_end").type(timestamp).noDefault();
    for (String d : List.of("open", "high", "low", "close", "volume", "quote_volume")) {
      f = f.name(d).type(decimal).noDefault();
    }
    f = f.requiredLong("trades");
    for (String d : List.of("vwap", "buy_volume", "sell_volume")) {
      f = f.name(d).type(decimal).noDefault();
    }
    for (String t : List.of("open_at", "high_at", "low_at", "close_at")) {
      f = f.name(t).type(timestamp).noDefault();
    }
    return f.requiredLong("first_trade_id").requiredLong("last_trade_id").requiredLong("records")
        .requiredString("pane_timing").requiredLong("pane_index").requiredBoolean("is_final")
        .endRecord();
  }

  @Override
  public Schema parquetSchema() {
    return SCHEMA;
  }

  @Override
  public GenericRecord toRecord(TradeCandle c) {
    GenericData.Record r = new GenericData.Record(SCHEMA);
    r.put("timeframe", c.timeframe());
    r.put("symbol", c.symbol());
    r.put("window_start", c.windowStart());
    r.put("window_end", c.windowEnd());
    r.put("open", decimal(c.open()));
    r.put("high", decimal(c.high()));
    r.put("low", decimal(c.low()));
    r.put("close", decimal(c.close()));
    r.put("volume", decimal(c.volume()));
    r.put("quote_volume", decimal(c.quoteVolume()));
    r.put("trades", c.trades());
    r.put("vwap", decimal(c.vwap()));
    r.put("buy_volume", decimal(c.buyVolume()));
    r.put("sell_volume", decimal(c.sellVolume()));
    r.put("open_at", c.openTime());
    r.put("high_at", c.highTime());
    r.put("low_at", c.lowTime());
    r.put("close_at", c.closeTime());
    r.put("first_trade_id", c.firstTradeId());
    r.put("last_trade_id", c.lastTradeId());
    r.put("records", c.records());
    r.put("pane_timing", c.paneTiming());
    r.put("pane_index", c.paneIndex());
    r.put("is_final", c.isFinal());
    return r;
  }

  /** A Parquet decimal(38,18) value back as a {@link BigDecimal}. */
  public static BigDecimal fromParquet(Object value) {
    ByteBuffer b = ((ByteBuffer) value).duplicate();
    byte[] bytes = new byte[b.remaining()];
    b.get(bytes);
    return new BigDecimal(new java.math.BigInteger(bytes), PARQUET_SCALE);
  }

  private static ByteBuffer decimal(BigDecimal d) {
    return ByteBuffer.wrap(
        d.setScale(PARQUET_SCALE, RoundingMode.HALF_EVEN).unscaledValue().toByteArray());
  }

  @Override
  public String tableHeader() {
    return HEADER;
  }

  @Override
  public String tableRow(TradeCandle c) {
    return String.format("%-4s %-12s %-20s %14s %14s %14s %14s %16s %9d %14s  %s#%d%s",
        c.timeframe(), c.symbol(), iso(c.windowStart()), short10(c.open()), short10(c.high()),
        short10(c.low()), short10(c.close()), short10(c.volume()), c.trades(), short10(c.vwap()),
        c.paneTiming(), c.paneIndex(), c.isFinal() ? " final" : "");
  }

  @Override
  public Comparator<TradeCandle> tableOrder() {
    return Comparator.comparing(TradeCandle::symbol)
        .thenComparing(c -> c.windowEnd() - c.windowStart())
        .thenComparing(TradeCandle::windowStart).thenComparing(TradeCandle::paneIndex);
  }

  @Override
  public String createTableSql(String table) {
    return "CREATE TABLE IF NOT EXISTS " + table + " ("
        + "symbol TEXT NOT NULL, timeframe TEXT NOT NULL, "
        + "window_start TIMESTAMPTZ NOT NULL, window_end TIMESTAMPTZ NOT NULL, "
        + "open NUMERIC NOT NULL, high NUMERIC NOT NULL, low NUMERIC NOT NULL, "
        + "close NUMERIC NOT NULL, volume NUMERIC NOT NULL, quote_volume NUMERIC NOT NULL, "
        + "trades BIGINT NOT NULL, vwap NUMERIC NOT NULL, buy_volume NUMERIC NOT NULL, "
        + "sell_volume NUMERIC NOT NULL, open_at TIMESTAMPTZ NOT NULL, "
        + "high_at TIMESTAMPTZ NOT NULL, low_at TIMESTAMPTZ NOT NULL, "
        + "close_at TIMESTAMPTZ NOT NULL, first_trade_id BIGINT NOT NULL, "
        + "last_trade_id BIGINT NOT NULL, records BIGINT NOT NULL, pane_timing TEXT NOT NULL, "
        + "pane_index BIGINT NOT NULL, is_final BOOLEAN NOT NULL, "
        + "updated_at TIMESTAMPTZ NOT NULL DEFAULT now(), "
        + "PRIMARY KEY (symbol, timeframe, window_start))";
  }

  private static final List<String> COLUMNS = List.of("symbol", "timeframe", "window_start",
      "window_end", "open", "high", "low", "close", "volume", "quote_volume", "trades", "vwap",
      "buy_volume", "sell_volume", "open_at", "high_at", "low_at", "close_at", "first_trade_id",
      "last_trade_id", "records", "pane_timing", "pane_index", "is_final");

  @Override
  public String upsertSql(String table) {
    String updates = COLUMNS.subList(3, COLUMNS.size()).stream()
        .map(c -> c + " = EXCLUDED." + c).collect(Collectors.joining(", "));
    return "INSERT INTO " + table + " (" + String.join(", ", COLUMNS) + ", updated_at) VALUES ("
        + "?, ".repeat(COLUMNS.size()) + "now()) ON CONFLICT (symbol, timeframe, window_start) "
        + "DO UPDATE SET " + updates + ", updated_at = now() WHERE " + table
        + ".pane_index <= EXCLUDED.pane_index";
  }

  @Override
  public void bind(PreparedStatement s, TradeCandle c) throws SQLException {
    int i = 1;
    s.setString(i++, c.symbol());
    s.setString(i++, c.timeframe());
    s.setTimestamp(i++, new Timestamp(c.windowStart()));
    s.setTimestamp(i++, new Timestamp(c.windowEnd()));
    for (BigDecimal d : List.of(c.open(), c.high(), c.low(), c.close(), c.volume(),
        c.quoteVolume())) {
      s.setBigDecimal(i++, d);
    }
    s.setLong(i++, c.trades());
    for (BigDecimal d : List.of(c.vwap(), c.buyVolume(), c.sellVolume())) {
      s.setBigDecimal(i++, d);
    }
    for (long t : new long[] {c.openTime(), c.highTime(), c.lowTime(), c.closeTime()}) {
      s.setTimestamp(i++, new Timestamp(t));
    }
    s.setLong(i++, c.firstTradeId());
    s.setLong(i++, c.lastTradeId());
    s.setLong(i++, c.records());
    s.setString(i++, c.paneTiming());
    s.setLong(i++, c.paneIndex());
    s.setBoolean(i, c.isFinal());
  }

  private static String iso(long millis) {
    return Instant.ofEpochMilli(millis).toString();
  }

  private static String plain(BigDecimal d) {
    return TradeCandleJson.plain(d);
  }

  private static String short10(BigDecimal d) {
    return plain(d.round(new MathContext(10)));
  }
}
