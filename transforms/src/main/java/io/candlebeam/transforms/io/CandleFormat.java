package io.candlebeam.transforms.io;

import java.io.Serializable;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Comparator;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;

/**
 * Everything the sinks need to know about one kind of candle: its keys (partition, window, pane),
 * and its JSON, CSV, Parquet, console and PostgreSQL forms. One implementation per kind ({@link
 * TickerCandles} for the ticker job's {@code Candle}, {@link TradeCandles} for trade bars), so every
 * sink is written once, generic over the kind.
 */
public interface CandleFormat<C> extends Serializable {
  /** The file partition of a candle, e.g. {@code symbol=BTCUSDT} or {@code timeframe=1h/symbol=BTCUSDT}. */
  String partition(C c);

  long windowStart(C c);

  long windowEnd(C c);

  /** Orders the versions (panes) of one candle: the highest is the latest. */
  long paneIndex(C c);

  /** The Kafka record key: the same for every pane of one candle (a compacted topic keeps the last). */
  String kafkaKey(C c);

  String toJson(C c);

  String csvHeader();

  String toCsv(C c);

  Schema parquetSchema();

  GenericRecord toRecord(C c);

  /** The console table's header and one row. */
  String tableHeader();

  String tableRow(C c);

  /** The console table's row order. */
  Comparator<C> tableOrder();

  /** The DDL of a table holding one row per candle (the latest pane). */
  String createTableSql(String table);

  /** An upsert of one candle that never replaces a newer pane by an older one. */
  String upsertSql(String table);

  /** Binds one candle to {@link #upsertSql}. */
  void bind(PreparedStatement statement, C c) throws SQLException;
}
