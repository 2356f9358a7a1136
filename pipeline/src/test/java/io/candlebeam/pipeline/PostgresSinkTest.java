package io.candlebeam.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.candlebeam.transforms.jdbc.JdbcTarget;
import io.candlebeam.transforms.io.TickerCandles;
import io.candlebeam.transforms.jdbc.UpsertCandles;
import io.candlebeam.transforms.model.Candle;
import io.candlebeam.transforms.model.CandleCoder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The PostgreSQL sink against a real server ({@code .ci/run} starts one and sets
 * CANDLEBEAM_TEST_JDBC_URL; CANDLEBEAM_TEST_PG_CLUSTER names the cluster the outage test may stop).
 */
class PostgresSinkTest {
  private static final String URL = System.getenv("CANDLEBEAM_TEST_JDBC_URL");
  private static final String USER = System.getenv().getOrDefault("CANDLEBEAM_TEST_JDBC_USER", "postgres");
  private static final long DAY0 = 1_709_251_200_000L; // 2024-03-01
  private static final long DAY = 86_400_000L;
  private JdbcTarget target;

  @BeforeEach
  void cleanTable() throws Exception {
    assumeTrue(URL != null, "set CANDLEBEAM_TEST_JDBC_URL (and PGPASSWORD) to run the PostgreSQL tests");
    target = new JdbcTarget(URL, USER, null, "PGPASSWORD", "candles_test");
    UpsertCandles.createTable(target, TickerCandles.seed());
    try (Connection c = target.connect(); Statement s = c.createStatement()) {
      s.execute("TRUNCATE candles_test");
    }
  }

  private static Candle candle(String symbol, long day, double close, long ticks, String timing,
      long pane) {
    return new Candle(symbol, DAY0 + day * DAY, DAY0 + (day + 1) * DAY, 10.0, 20.0, 5.0, close, 1.5,
        null, 7L, ticks, close, timing, pane, false);
  }

  private void write(List<Candle> candles) {
    Pipeline p = Pipeline.create(PipelineOptionsFactory.fromArgs("--runner=DirectRunner").create());
    p.apply(Create.of(candles).withCoder(CandleCoder.of())).apply(new UpsertCandles<>(target, 2, TickerCandles.seed()));
    p.run().waitUntilFinish();
  }

  private String rows() throws Exception {
    StringBuilder b = new StringBuilder();
    try (Connection c = target.connect(); Statement s = c.createStatement();
        ResultSet r = s.executeQuery("SELECT symbol, window_start, daily_close, tick_count, "
            + "pane_timing, pane_index, total_trades, daily_quote_volume FROM candles_test "
            + "ORDER BY symbol, window_start")) {
      while (r.next()) {
        b.append(r.getString(1)).append(' ').append(r.getTimestamp(2).getTime() == DAY0 ? "day0" : "day1")
            .append(' ').append(r.getDouble(3)).append(' ').append(r.getLong(4)).append(' ')
            .append(r.getString(5)).append('#').append(r.getLong(6)).append(' ')
            .append(r.getLong(7)).append(' ').append(r.getObject(8)).append('\n');
      }
    }
    return b.toString();
  }

  @Test
  void refiredAndReplayedPanesLeaveOneCurrentRowPerCandle() throws Exception {
    // Every pane of BTC day 0 (early, early, on time, late), some twice, and ETH day 1 once.
    write(List.of(candle("BTC", 0, 1, 1, "EARLY", 0), candle("BTC", 0, 2, 2, "EARLY", 1),
        candle("BTC", 0, 3, 3, "ON_TIME", 2), candle("BTC", 0, 4, 4, "LATE", 3),
        candle("BTC", 0, 2, 2, "EARLY", 1), candle("ETH", 1, 9, 1, "ON_TIME", 0)));
    // Later, a replay of old panes arrives (a retried bundle, a slow path): it must change nothing.
    write(List.of(candle("BTC", 0, 2, 2, "EARLY", 1), candle("BTC", 0, 3, 3, "ON_TIME", 2)));
    // And a replay of the newest pane is harmless.
    write(List.of(candle("BTC", 0, 4, 4, "LATE", 3)));
    assertThat(rows(), is("BTC day0 4.0 4 LATE#3 7 null\nETH day1 9.0 1 ON_TIME#0 7 null\n"));
  }

  @Test
  void anOutageIsRiddenOutWithNothingLost() throws Exception {
    String cluster = System.getenv("CANDLEBEAM_TEST_PG_CLUSTER"); // e.g. 15/main
    assumeTrue(cluster != null, "set CANDLEBEAM_TEST_PG_CLUSTER (e.g. 15/main) to stop and start it");
    String[] vc = cluster.split("/");
    pgctl("stop", vc);
    try {
      // The write starts while PostgreSQL is down, and retries with backoff...
      CompletableFuture<Void> writing = CompletableFuture.runAsync(() -> write(List.of(
          candle("BTC", 0, 4, 4, "LATE", 3), candle("ETH", 1, 9, 1, "ON_TIME", 0))));
      Thread.sleep(4_000);
      assertThat("still retrying while the server is down", writing.isDone(), is(false));
      // ...until it is back.
    } finally {
      pgctl("start", vc);
    }
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      try {
        String rows = rows();
        if (rows.lines().count() == 2) {
          assertThat(rows, is("BTC day0 4.0 4 LATE#3 7 null\nETH day1 9.0 1 ON_TIME#0 7 null\n"));
          return;
        }
      } catch (Exception stillStarting) {
        // the server is coming up
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the candles written during the outage never arrived");
      }
      Thread.sleep(500);
    }
  }

  private static void pgctl(String action, String[] versionCluster) throws Exception {
    Process p = new ProcessBuilder("pg_ctlcluster", versionCluster[0], versionCluster[1], action)
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat("pg_ctlcluster " + action + ": " + out, p.waitFor(), is(0));
  }

  @Test
  void permanentErrorsFailFastWithAClearMessage() {
    // A database that does not exist: no retrying, exit code 2 and the server's reason.
    String missingDb = URL.substring(0, URL.lastIndexOf('/') + 1) + "no_such_database_42";
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Launcher.plain().launch(new String[] {"--runner=DirectRunner", "--sinks=jdbc",
        "--jdbcUrl=" + missingDb, "--jdbcUser=" + USER},
        new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true));
    assertThat(code, is(2));
    assertThat(err.toString(StandardCharsets.UTF_8), containsString("no_such_database_42"));
  }

  @Test
  void tableNamesAreIdentifiersOnly() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Launcher.plain().launch(new String[] {"--runner=DirectRunner", "--sinks=jdbc",
        "--jdbcUrl=" + URL, "--jdbcTable=candles; DROP TABLE candles_test"},
        new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true));
    assertThat(code, is(2));
    assertThat(err.toString(StandardCharsets.UTF_8), containsString("is not a plain SQL identifier"));
  }

  @Test
  void theWholeJobUpsertsTheReferenceCandlesAndShowReadsThemBack() throws Exception {
    Launcher.plain().launch(new String[] {"--runner=DirectRunner", "--sinks=jdbc", "--jdbcUrl=" + URL,
        "--jdbcUser=" + USER, "--jdbcTable=candles_test", "--outputDir=" + java.nio.file.Files
            .createTempDirectory("cb")}, new PrintStream(new ByteArrayOutputStream()), System.err);
    List<Candle> stored = CandleStore.read("jdbc", target, null);
    ExpectedCandles.assertMatches(ExpectedCandles.load(BundledTestData.resource("expected/candles.jsonl")),
        stored);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int code = ServingCommands.show(new String[] {"--from=jdbc", "--jdbcUrl=" + URL,
        "--jdbcUser=" + USER, "--jdbcTable=candles_test", "--symbol=BTCUSDT", "--last=2"},
        new PrintStream(out, true), System.err);
    assertThat(code, is(0));
    String table = out.toString(StandardCharsets.UTF_8);
    assertThat(table, containsString("2024-03-04 BTCUSDT"));
    assertThat(table, containsString("2024-03-03 BTCUSDT"));
    assertThat(table, containsString("2 candles"));
  }
}
