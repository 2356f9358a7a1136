package io.candlebeam.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.candlebeam.transforms.io.TradeCandles;
import io.candlebeam.transforms.jdbc.JdbcTarget;
import io.candlebeam.transforms.jdbc.UpsertCandles;
import io.candlebeam.transforms.model.TradeCandle;
import io.candlebeam.transforms.model.TradeCandleCoder;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Trade bars in PostgreSQL ({@code .ci/run} starts the server): one row per (symbol, timeframe,
 * window start), the newest pane wins, decimals exact in {@code NUMERIC}; and the whole trade job
 * with {@code --sinks=jdbc} over the bundled trades equals the reference.
 */
class PostgresTradeSinkTest {
  private static final String URL = System.getenv("CANDLEBEAM_TEST_JDBC_URL");
  private static final String USER =
      System.getenv().getOrDefault("CANDLEBEAM_TEST_JDBC_USER", "postgres");
  private static final long T0 = 1_709_251_200_000L; // 2024-03-01T00:00Z
  private JdbcTarget target;

  @BeforeEach
  void cleanTable() throws Exception {
    assumeTrue(URL != null, "set CANDLEBEAM_TEST_JDBC_URL (and PGPASSWORD) to run the PostgreSQL tests");
    target = new JdbcTarget(URL, USER, null, "PGPASSWORD", "trade_candles_test");
    target.execute("DROP TABLE IF EXISTS trade_candles_test");
    UpsertCandles.createTable(target, new TradeCandles());
  }

  private static TradeCandle bar(long size, String close, String volume, String timing,
      long pane) {
    BigDecimal c = new BigDecimal(close);
    return new TradeCandle("BTCUSDT", T0, T0 + size, c, c, c, c, T0, T0, T0, T0,
        new BigDecimal(volume), c.multiply(new BigDecimal(volume)), new BigDecimal(volume),
        BigDecimal.ZERO, c, 1, 1, 7, 7, timing, pane, false);
  }

  private void write(List<TradeCandle> bars) {
    Pipeline p = Pipeline.create(PipelineOptionsFactory.fromArgs("--runner=DirectRunner").create());
    p.apply(Create.of(bars).withCoder(TradeCandleCoder.of()))
        .apply(new UpsertCandles<>(target, 2, new TradeCandles()));
    p.run().waitUntilFinish();
  }

  private String rows(String table) throws Exception {
    StringBuilder b = new StringBuilder();
    try (Connection c = target.connect(); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT timeframe, close, volume, quote_volume, pane_timing, "
            + "pane_index FROM " + table + " ORDER BY symbol, timeframe, window_start")) {
      while (r.next()) {
        b.append(r.getString(1)).append(' ').append(r.getBigDecimal(2).toPlainString()).append(' ')
            .append(r.getBigDecimal(3).toPlainString()).append(' ')
            .append(r.getBigDecimal(4).toPlainString()).append(' ').append(r.getString(5))
            .append('#').append(r.getLong(6)).append('\n');
      }
    }
    return b.toString();
  }

  @Test
  void oneRowPerTimeframeAndWindowTheNewestPaneWinsDecimalsExact() throws Exception {
    // A 1 h and a 1 d bar starting at the same instant are two rows; a replayed old pane of the
    // 1 h bar changes nothing.
    write(List.of(bar(3_600_000, "43250.10", "0.1", "ON_TIME", 0),
        bar(3_600_000, "43251.20", "0.3", "LATE", 1),
        bar(86_400_000, "43250.10", "0.2", "ON_TIME", 0)));
    write(List.of(bar(3_600_000, "43250.10", "0.1", "ON_TIME", 0)));
    assertThat(rows("trade_candles_test"), is("1d 43250.10 0.2 8650.020 ON_TIME#0\n"
        + "1h 43251.20 0.3 12975.360 LATE#1\n"));
  }

  @Test
  void theTradeJobFillsItsTableWithTheReferenceBars(@TempDir Path out) throws Exception {
    target.execute("DROP TABLE IF EXISTS trade_candles_job_test");
    int code = Launcher.plain().launch(new String[] {"--runner=DirectRunner",
        "--inputFormat=trade", "--timeframes=1h,1d", "--sinks=jdbc", "--jdbcUrl=" + URL,
        "--jdbcUser=" + USER, "--jdbcTable=trade_candles_job_test", "--outputDir=" + out},
        System.out, System.err);
    assertThat(code, is(0));
    List<String> expected = ExpectedTradeCandles.bundled().stream()
        .filter(l -> !l.contains("\"timeframe\":\"1m\"")).toList();
    try (Connection c = target.connect(); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT count(*), sum(trades) FROM trade_candles_job_test")) {
      r.next();
      assertThat(r.getLong(1), is((long) expected.size()));
      long trades = expected.stream().mapToLong(l -> Long.parseLong(
          l.replaceAll(".*\"trades\":(\\d+).*", "$1"))).sum();
      assertThat(r.getLong(2), is(trades));
    }
  }
}
