package io.candlebeam.transforms.jdbc;

import java.sql.SQLException;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;

/**
 * Upserts JSON rows keyed by their origin (e.g. {@code topic/partition@offset}) into a table
 * {@code (origin TEXT PRIMARY KEY, record JSONB, updated_at)}: a replayed record rewrites its own
 * row. Same transactions, retries and fail-fast rules as {@link UpsertCandles}.
 */
public final class UpsertJsonRows extends PTransform<PCollection<KV<String, String>>, PDone> {
  private final JdbcTarget target;
  private final int retryMinutes;

  public UpsertJsonRows(JdbcTarget target, int retryMinutes) {
    this.target = target;
    this.retryMinutes = retryMinutes;
  }

  /** Creates the table if missing. */
  public static void createTable(JdbcTarget target) throws SQLException {
    target.execute("CREATE TABLE IF NOT EXISTS " + target.table() + " (origin TEXT PRIMARY KEY, "
        + "record JSONB NOT NULL, updated_at TIMESTAMPTZ NOT NULL DEFAULT now())");
  }

  @Override
  public PDone expand(PCollection<KV<String, String>> rows) {
    String sql = "INSERT INTO " + target.table() + " (origin, record, updated_at) "
        + "VALUES (?, ?::jsonb, now()) ON CONFLICT (origin) DO UPDATE SET "
        + "record = EXCLUDED.record, updated_at = now()";
    rows.apply("Upsert", ParDo.of(new UpsertCandles.UpsertFn<KV<String, String>>(target,
        retryMinutes, sql, (s, row) -> {
          s.setString(1, row.getKey());
          s.setString(2, row.getValue());
        }, row -> 0L)));
    return PDone.in(rows.getPipeline());
  }
}
