package io.candlebeam.pipeline.serve;

import io.candlebeam.transforms.jdbc.JdbcTarget;
import io.candlebeam.transforms.window.Timeframes;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The PostgreSQL candle table (one current row per candle, as {@code --sinks=jdbc} upserts it),
 * read whole on every poll: the ticker table ({@code daily_open} …) or the trade table ({@code
 * timeframe}, {@code open} …), told apart by its columns. Reading whole (not by {@code updated_at})
 * cannot miss a row whose transaction committed after a later one's.
 */
public final class TableFeed implements CandleFeed {
  private final JdbcTarget target;

  public TableFeed(JdbcTarget target) {
    this.target = target;
  }

  @Override
  public List<ServedCandle> poll() throws SQLException {
    List<ServedCandle> rows = new ArrayList<>();
    try (Connection c = target.connect(); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT * FROM " + target.table())) {
      Set<String> columns = columns(r.getMetaData());
      boolean trades = columns.contains("timeframe");
      String prefix = trades ? "" : "daily_";
      String tradesColumn = trades ? "trades" : "total_trades";
      while (r.next()) {
        long start = r.getTimestamp("window_start").getTime();
        long end = r.getTimestamp("window_end").getTime();
        rows.add(new ServedCandle(r.getString("symbol"),
            trades ? r.getString("timeframe") : Timeframes.label(end - start), start, end,
            decimal(r, prefix + "open", trades), decimal(r, prefix + "high", trades),
            decimal(r, prefix + "low", trades), decimal(r, prefix + "close", trades),
            decimal(r, prefix + "volume", trades), longOrNull(r, tradesColumn),
            r.getString("pane_timing"), r.getLong("pane_index"), r.getBoolean("is_final")));
      }
    }
    return rows;
  }

  @Override
  public String describe() {
    return "PostgreSQL table " + target.table() + " at " + target.url();
  }

  private static Set<String> columns(ResultSetMetaData m) throws SQLException {
    Set<String> names = new HashSet<>();
    for (int i = 1; i <= m.getColumnCount(); i++) {
      names.add(m.getColumnName(i).toLowerCase());
    }
    return names;
  }

  private static Long longOrNull(ResultSet r, String column) throws SQLException {
    long v = r.getLong(column);
    return r.wasNull() ? null : v;
  }

  /**
   * A NUMERIC column as stored; a DOUBLE PRECISION one (the ticker table) as the job's files write
   * the same double, so a candle reads the same from files and from the table.
   */
  private static BigDecimal decimal(ResultSet r, String column, boolean numeric)
      throws SQLException {
    if (numeric) {
      return r.getBigDecimal(column);
    }
    double v = r.getDouble(column);
    return r.wasNull() ? null : BigDecimal.valueOf(v);
  }
}
