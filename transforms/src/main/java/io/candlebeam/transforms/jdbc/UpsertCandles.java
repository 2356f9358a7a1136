package io.candlebeam.transforms.jdbc;

import io.candlebeam.transforms.io.CandleFormat;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
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
 * Upserts candles into a table keyed by candle (the ticker job's {@code crypto_daily_stats}: symbol
 * and window start; trade bars: symbol, timeframe and window start; see {@link CandleFormat}):
 * whatever panes fire (early, on time, late) and however often a bundle is replayed, the table
 * holds exactly one current row per candle ("complete" output mode).
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
public final class UpsertCandles<C> extends PTransform<PCollection<C>, PDone> {
  private final JdbcTarget target;
  private final int retryMinutes;
  private final CandleFormat<C> format;

  public UpsertCandles(JdbcTarget target, int retryMinutes, CandleFormat<C> format) {
    this.target = target;
    this.retryMinutes = retryMinutes;
    this.format = format;
  }

  /** Creates {@code format}'s table at {@code target} if missing (fails first on bad credentials). */
  public static void createTable(JdbcTarget target, CandleFormat<?> format) throws SQLException {
    target.execute(format.createTableSql(target.table()));
  }

  @Override
  public PDone expand(PCollection<C> candles) {
    candles.apply("Upsert", ParDo.of(new UpsertFn<>(target, retryMinutes,
        format.upsertSql(target.table()), format::bind, format::paneIndex)));
    return PDone.in(candles.getPipeline());
  }

  /** Binds one element's values to a prepared statement. */
  @FunctionalInterface
  public interface Binder<T> extends java.io.Serializable {
    void bind(PreparedStatement statement, T element) throws SQLException;
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
