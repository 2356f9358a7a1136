package io.candlebeam.pipeline.serve;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.candlebeam.transforms.io.CandleFormat;
import io.candlebeam.transforms.io.TickerCandles;
import io.candlebeam.transforms.io.TradeCandles;
import io.candlebeam.transforms.jdbc.JdbcTarget;
import io.candlebeam.transforms.jdbc.UpsertCandles;
import io.candlebeam.transforms.model.Candle;
import io.candlebeam.transforms.model.TradeCandle;
import java.math.BigDecimal;
import java.net.URI;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * {@code serve --from=jdbc} against a real PostgreSQL ({@code .ci/run} starts it): the ticker
 * table and the trade table, written with the sink's own upsert, served as they are, and a pane
 * upserted while serving reaches the API.
 */
class ServeFromPostgresTest {
  private static final String URL = System.getenv("CANDLEBEAM_TEST_JDBC_URL");
  private static final String USER =
      System.getenv().getOrDefault("CANDLEBEAM_TEST_JDBC_USER", "postgres");
  private static final long DAY0 = 1_709_251_200_000L; // 2024-03-01T00:00Z
  private static final long DAY = 86_400_000L;
  private static final ObjectMapper JSON = new ObjectMapper();

  private static JdbcTarget table(String name, CandleFormat<?> format) throws Exception {
    assumeTrue(URL != null, "set CANDLEBEAM_TEST_JDBC_URL (and PGPASSWORD) to run the PostgreSQL tests");
    JdbcTarget target = new JdbcTarget(URL, USER, null, "PGPASSWORD", name);
    target.execute("DROP TABLE IF EXISTS " + name);
    UpsertCandles.createTable(target, format);
    return target;
  }

  /** Upserts as the jdbc sink does (its SQL and binding). */
  @SafeVarargs
  private static <C> void upsert(JdbcTarget target, CandleFormat<C> format, C... candles)
      throws Exception {
    try (Connection c = target.connect();
        PreparedStatement s = c.prepareStatement(format.upsertSql(target.table()))) {
      for (C candle : candles) {
        format.bind(s, candle);
        s.executeUpdate();
      }
    }
  }

  private static Candle candle(String symbol, long day, double close, String timing, long pane) {
    return new Candle(symbol, DAY0 + day * DAY, DAY0 + (day + 1) * DAY, 10.0, 20.0, 5.0, close,
        1.5, null, null, 3, close, timing, pane, false);
  }

  @Test
  void theTickerTableIsServedAndAnUpsertedPaneReachesTheApi() throws Exception {
    JdbcTarget target = table("serve_ticker_test", TickerCandles.seed());
    upsert(target, TickerCandles.seed(), candle("BTCUSDT", 0, 12.5, "ON_TIME", 0),
        candle("BTCUSDT", 1, 13.25, "EARLY", 0), candle("ETHUSDT", 0, 7.0, "ON_TIME", 0));
    try (Serving s = ServeCommand.start(new String[] {"--from=jdbc", "--jdbcUrl=" + URL,
        "--jdbcUser=" + USER, "--jdbcTable=serve_ticker_test", "--port=0"}, System.err)) {
      assertThat(get(s, "/api/symbols").toString(), is("{\"symbols\":[{\"symbol\":\"BTCUSDT\","
          + "\"timeframes\":[\"1d\"]},{\"symbol\":\"ETHUSDT\",\"timeframes\":[\"1d\"]}]}"));
      JsonNode btc = get(s, "/api/candles?symbol=BTCUSDT").get("candles");
      assertThat(btc.size(), is(2));
      assertThat(btc.get(0).get("close").asDouble(), is(12.5));
      assertThat(btc.get(0).get("trades").isNull(), is(true));
      assertThat(btc.get(1).get("pane_timing").asText(), is("EARLY"));

      upsert(target, TickerCandles.seed(), candle("BTCUSDT", 1, 14.0, "ON_TIME", 1));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
      while (!get(s, "/api/candles?symbol=BTCUSDT&from=2024-03-02").get("candles").get(0)
          .get("pane_timing").asText().equals("ON_TIME")) {
        assertThat("the new pane reaches the API within 15 s", System.nanoTime() < deadline,
            is(true));
        Thread.sleep(200);
      }
      assertThat(get(s, "/api/candles?symbol=BTCUSDT&from=2024-03-02").get("candles").get(0)
          .get("close").asDouble(), is(14.0));
      assertThat(get(s, "/api/status").get("source").asText(),
          containsString("PostgreSQL table serve_ticker_test"));
    }
  }

  @Test
  void theTradeTableKeepsItsTimeframesAndExactDecimals() throws Exception {
    JdbcTarget target = table("serve_trades_test", new TradeCandles());
    BigDecimal close = new BigDecimal("43250.123456789012345678");
    upsert(target, new TradeCandles(), bar(60_000L, close), bar(3_600_000L, close));
    try (Serving s = ServeCommand.start(new String[] {"--from=jdbc", "--jdbcUrl=" + URL,
        "--jdbcUser=" + USER, "--jdbcTable=serve_trades_test", "--port=0"}, System.err)) {
      assertThat(get(s, "/api/symbols").get("symbols").get(0).get("timeframes").toString(),
          is("[\"1m\",\"1h\"]"));
      String body = text(s, "/api/candles?symbol=BTCUSDT&timeframe=1h");
      assertThat(body, containsString("\"close\":43250.123456789012345678,"));
      assertThat(body, containsString("\"window_end\":\"2024-03-01T01:00:00Z\""));
    }
  }

  private static TradeCandle bar(long size, BigDecimal close) {
    return new TradeCandle("BTCUSDT", DAY0, DAY0 + size, close, close, close, close, DAY0, DAY0,
        DAY0, DAY0, BigDecimal.ONE, close, BigDecimal.ONE, BigDecimal.ZERO, close, 1, 1, 7, 7,
        "ON_TIME", 0, true);
  }

  private static JsonNode get(Serving s, String path) throws Exception {
    return JSON.readTree(text(s, path));
  }

  private static String text(Serving s, String path) throws Exception {
    try (var in = URI.create(s.url().toString().replaceAll("/$", "") + path).toURL().openStream()) {
      return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }
}
