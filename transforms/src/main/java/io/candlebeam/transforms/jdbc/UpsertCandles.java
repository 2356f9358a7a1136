package io.candlebeam.transforms.jdbc;

import io.candlebeam.transforms.model.Candle;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Upserts candles into a table keyed by (symbol, window start): whatever panes fire (early, on
 * time, late) and however often a bundle is replayed, the table holds exactly one current row per
 * candle, the seed's queryable {@code crypto_daily_stats} ("complete" output mode).
 *
 * <p>A pane never overwrites a newer pane of the same candle: the update only applies when the
 * incoming {@code pane_index} is at least the stored one, so an old pane arriving late (a replay,
 * a slow sink) changes nothing, and replaying the same pane is harmless.
 *
 * <p>Each bundle is one transaction. Errors that pass (connection lost, server restarting, too many
 * connections, serialization conflicts) are retried with exponential backoff, for up to {@code
 * retryMinutes}; errors that do not (bad credentials, missing database or table privileges, bad
 * data) fail the pipeline at once with the server's message.
 */
public final class UpsertCandles extends PTransform<PCollection<Candle>, PDone> {
  private final JdbcTarget target;
  private final int retryMinutes;

  public UpsertCandles(JdbcTarget target, int retryMinutes) {
    this.target = target;
    this.retryMinutes = retryMinutes;
  }

  @Override
  public PDone expand(PCollection<Candle> candles) {
    candles.apply("Upsert", ParDo.of(new UpsertFn<>(target, retryMinutes, upsertSql(target.table()),
        UpsertCandles::bind, Candle::paneIndex)));
    return PDone.in(candles.getPipeline());
  }

  /** Sets one candle's values on the upsert statement. */
  static void bind(PreparedStatement s, Candle c) throws SQLException {
    s.setString(1, c.symbol());
    s.setTimestamp(2, new java.sql.Timestamp(c.windowStart()));
    s.setTimestamp(3, new java.sql.Timestamp(c.windowEnd()));
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

  /** Binds one element's values to a prepared statement. */
  @FunctionalInterface
  public interface Binder<T> extends java.io.Serializable {
    void bind(PreparedStatement statement, T element) throws SQLException;
  }

  static String upsertSql(String table) {
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

  /** SQLState classes that no retry can fix. */
  static boolean permanent(SQLException e) {
    String state = e.getSQLState();
    if (state == null) {
      return false;
    }
    return state.startsWith("28") // invalid authorization (bad user or password)
        || state.startsWith("3D") // invalid catalog name (no such database)
        || state.startsWith("42") // syntax, undefined table, insufficient privilege
        || state.startsWith("22") // data exception
        || state.startsWith("23"); // integrity constraint violation
  }

  /**
   * Writes each bundle as one transaction of upserts, ordered by {@code order} (the newest version
   * of a row last); retries what passes, fails fast on what does not (see the class comment).
   */
  static final class UpsertFn<T> extends DoFn<T, Void> {
    private static final Logger LOG = LoggerFactory.getLogger(UpsertFn.class);
    private final Counter rows = Metrics.counter("candlebeam", "jdbc_rows");
    private final Counter retries = Metrics.counter("candlebeam", "jdbc_retries");
    private final JdbcTarget target;
    private final int retryMinutes;
    private final String sql;
    private final Binder<T> binder;
    private final org.apache.beam.sdk.transforms.SerializableFunction<T, Long> order;
    private transient List<T> buffer;
    private transient Connection connection;

    UpsertFn(JdbcTarget target, int retryMinutes, String sql, Binder<T> binder,
        org.apache.beam.sdk.transforms.SerializableFunction<T, Long> order) {
      this.target = target;
      this.retryMinutes = retryMinutes;
      this.sql = sql;
      this.binder = binder;
      this.order = order;
    }

    @StartBundle
    public void startBundle() {
      buffer = new ArrayList<>();
    }

    @ProcessElement
    public void process(@Element T element) {
      buffer.add(element);
    }

    @FinishBundle
    public void finishBundle() throws Exception {
      if (buffer.isEmpty()) {
        return;
      }
      buffer.sort(Comparator.comparing(order::apply)); // the newest version last
      long deadline = System.currentTimeMillis() + retryMinutes * 60_000L;
      long backoff = 500;
      while (true) {
        try {
          write(buffer);
          rows.inc(buffer.size());
          buffer = null;
          return;
        } catch (SQLException e) {
          closeQuietly();
          if (permanent(e)) {
            throw new IllegalStateException("PostgreSQL refused the upsert into " + target.table()
                + " (SQLState " + e.getSQLState() + "): " + e.getMessage(), e);
          }
          if (System.currentTimeMillis() + backoff > deadline) {
            throw new IllegalStateException("PostgreSQL unavailable for " + retryMinutes
                + " min, giving up: " + e.getMessage(), e);
          }
          retries.inc();
          LOG.warn("PostgreSQL write failed ({}), retrying in {} ms", e.getMessage(), backoff);
          Thread.sleep(backoff);
          backoff = Math.min(backoff * 2, 10_000);
        }
      }
    }

    private void write(List<T> elements) throws SQLException {
      if (connection == null || connection.isClosed()) {
        connection = target.connect();
        connection.setAutoCommit(false);
      }
      try (PreparedStatement s = connection.prepareStatement(sql)) {
        for (T element : elements) {
          binder.bind(s, element);
          s.addBatch();
        }
        s.executeBatch();
        connection.commit();
      } catch (SQLException e) {
        try {
          connection.rollback();
        } catch (SQLException ignored) {
          // the connection is gone; it is reopened on the next attempt
        }
        throw e.getNextException() != null && e.getSQLState() == null ? e.getNextException() : e;
      }
    }

    private void closeQuietly() {
      try {
        if (connection != null) {
          connection.close();
        }
      } catch (SQLException ignored) {
        // already broken
      }
      connection = null;
    }

    @Teardown
    public void teardown() {
      closeQuietly();
    }
  }
}
