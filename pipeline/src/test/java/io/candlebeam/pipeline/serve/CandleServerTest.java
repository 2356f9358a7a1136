package io.candlebeam.pipeline.serve;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.candlebeam.pipeline.ExpectedCandles;
import io.candlebeam.pipeline.ExpectedTradeCandles;
import io.candlebeam.pipeline.Launcher;
import io.candlebeam.transforms.io.CandleJson;
import io.candlebeam.transforms.model.Candle;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code serve} API against real runs' output: the bundled ticks and the bundled trades, each
 * run by the job on the DirectRunner, served with the command's defaults (but any free port). The
 * answers are compared with the generator's reference, not with what the job wrote.
 */
class CandleServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  @TempDir
  static Path tickRun;
  @TempDir
  static Path tradeRun;
  private static Serving ticks;
  private static Serving trades;

  @BeforeAll
  static void runAndServeTheBundledData() {
    assertThat(Launcher.plain().launch(new String[] {"--runner=DirectRunner",
        "--outputDir=" + tickRun, "--sinks=json,parquet"}, quiet(), System.err), is(0));
    assertThat(Launcher.plain().launch(new String[] {"--runner=DirectRunner",
        "--outputDir=" + tradeRun, "--sinks=json", "--inputFormat=trade",
        "--timeframes=1m,1h,1d"}, quiet(), System.err), is(0));
    ticks = ServeCommand.start(new String[] {"--from=" + tickRun, "--port=0"}, System.err);
    trades = ServeCommand.start(new String[] {"--from=" + tradeRun.resolve("json"), "--port=0"},
        System.err);
  }

  @AfterAll
  static void stop() {
    ticks.close();
    trades.close();
  }

  @Test
  void symbolsAreTheRunsSymbolsWithTheirTimeframesShortestFirst() throws Exception {
    JsonNode symbols = get(ticks, "/api/symbols", 200).get("symbols");
    List<String> names = new ArrayList<>();
    symbols.forEach(s -> names.add(s.get("symbol").asText() + ":" + s.get("timeframes")));
    assertThat(names, is(List.of("BNBUSDT:[\"1d\"]", "BTCUSDT:[\"1d\"]", "ETHUSDT:[\"1d\"]",
        "SOLUSDT:[\"1d\"]", "XRPUSDT:[\"1d\"]")));
    assertThat(get(trades, "/api/symbols", 200).get("symbols").get(0).get("timeframes").toString(),
        is("[\"1m\",\"1h\",\"1d\"]"));
  }

  @Test
  void candlesOfASymbolAreTheReferenceCandlesOldestFirst() throws Exception {
    Map<String, JsonNode> expected = ExpectedCandles.bundled();
    JsonNode body = get(ticks, "/api/candles?symbol=ETHUSDT", 200);
    assertThat(body.get("timeframe").asText(), is("1d"));
    assertThat(body.get("count").asInt(), is(4));
    List<String> starts = new ArrayList<>();
    for (JsonNode c : body.get("candles")) {
      starts.add(c.get("window_start").asText());
      JsonNode x = expected.get("ETHUSDT|" + c.get("window_start").asText());
      assertThat(c.get("open").asDouble(), is(x.get("daily_open").asDouble()));
      assertThat(c.get("high").asDouble(), is(x.get("daily_high").asDouble()));
      assertThat(c.get("low").asDouble(), is(x.get("daily_low").asDouble()));
      assertThat(c.get("close").asDouble(), is(x.get("daily_close").asDouble()));
      assertThat(c.get("volume").asDouble(), is(x.get("daily_volume").asDouble()));
      assertThat(c.get("trades").asLong(), is(x.get("total_trades").asLong()));
      assertThat(c.get("pane_timing").asText() + "#" + c.get("pane_index"), is("ON_TIME#0"));
    }
    assertThat(starts, is(List.of("2024-03-01T00:00:00Z", "2024-03-02T00:00:00Z",
        "2024-03-03T00:00:00Z", "2024-03-04T00:00:00Z")));
  }

  @Test
  void fromAndToSelectWindowStartsInTheHalfOpenRange() throws Exception {
    JsonNode days = get(ticks, "/api/candles?symbol=BTCUSDT&from=2024-03-02&to=2024-03-04T00:00:00Z",
        200);
    assertThat(days.get("count").asInt(), is(2));
    assertThat(days.get("candles").get(0).get("window_start").asText(), is("2024-03-02T00:00:00Z"));
    assertThat(days.get("candles").get(1).get("window_start").asText(), is("2024-03-03T00:00:00Z"));
    JsonNode offset = get(ticks, "/api/candles?symbol=BTCUSDT&from=2024-03-04T02:00:00%2B02:00", 200);
    assertThat(offset.get("count").asInt(), is(1));
  }

  @Test
  void tradeBarsOfOneTimeframeAreTheReferenceBars() throws Exception {
    List<JsonNode> reference = new ArrayList<>();
    for (String line : ExpectedTradeCandles.bundled()) {
      JsonNode n = JSON.readTree(line);
      if (n.get("symbol").asText().equals("SOLUSDT") && n.get("timeframe").asText().equals("1h")) {
        reference.add(n);
      }
    }
    JsonNode body = get(trades, "/api/candles?symbol=SOLUSDT&timeframe=1h", 200);
    assertThat(body.get("count").asInt(), is(reference.size()));
    for (int i = 0; i < reference.size(); i++) {
      JsonNode c = body.get("candles").get(i);
      JsonNode x = reference.get(i);
      assertThat(c.get("window_start").asText(), is(x.get("window_start").asText()));
      for (String f : new String[] {"open", "high", "low", "close", "volume"}) {
        assertThat(x.get("window_start") + " " + f, c.get(f).decimalValue()
            .compareTo(x.get(f).decimalValue()), is(0));
      }
      assertThat(c.get("trades").asLong(), is(x.get("trades").asLong()));
    }
  }

  @Test
  void badRequestsAre4xxWithAJsonError() throws Exception {
    assertError(ticks, "/api/candles", 400, "symbol is required: one of BNBUSDT, BTCUSDT");
    assertError(ticks, "/api/candles?symbol=DOGEUSDT", 404, "unknown symbol 'DOGEUSDT'");
    assertError(ticks, "/api/candles?symbol=BTCUSDT&timeframe=1h", 404,
        "BTCUSDT has no 1h candles: its timeframes are 1d");
    assertError(ticks, "/api/candles?symbol=BTCUSDT&from=yesterday", 400,
        "from=yesterday is not a time");
    assertError(ticks, "/api/candles?symbol=BTCUSDT&from=2024-03-03&to=2024-03-03", 400,
        "the range [from, to) is empty");
    assertError(ticks, "/api/candles?symbol=BTCUSDT&limit=5", 400, "unknown parameter 'limit'");
    assertError(ticks, "/api/candles?symbol=BTCUSDT&symbol=ETHUSDT", 400, "given twice");
    assertError(trades, "/api/candles?symbol=BTCUSDT", 400,
        "timeframe is required for BTCUSDT: one of 1m, 1h, 1d");
    assertError(ticks, "/api/nothing", 404, "no such page: /api/nothing");
    assertError(ticks, "/../pom.xml", 404, "no such page");
    HttpResponse<String> post = HTTP.send(HttpRequest.newBuilder(ticks.url().resolve("/api/status"))
        .POST(HttpRequest.BodyPublishers.ofString("{}")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode(), is(405));
    assertThat(JSON.readTree(post.body()).get("error").asText(), containsString("only reads"));
  }

  @Test
  void statusCarriesTheRunsReport() throws Exception {
    JsonNode status = get(ticks, "/api/status", 200);
    assertThat(status.get("candles").asInt(), is(20));
    assertThat(status.get("source").asText(), is(tickRun.resolve("json").toString()));
    JsonNode report = status.get("report");
    assertThat(report.get("records_read").asLong(),
        is(Long.parseLong(ExpectedCandles.bundledCounts().getProperty("lines"))));
    assertThat(report.get("dead_letters").asLong(),
        is(Long.parseLong(ExpectedCandles.bundledCounts().getProperty("malformed"))));
    assertThat(report.get("too_late").asLong(), is(0L));
  }

  @Test
  void thePageAndItsChartLibraryAreServedFromTheJar() throws Exception {
    HttpResponse<String> page = HTTP.send(HttpRequest.newBuilder(ticks.url()).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(page.statusCode(), is(200));
    assertThat(page.headers().firstValue("Content-Type").orElse(""), startsWith("text/html"));
    assertThat(page.body(), containsString("<script src=\"lightweight-charts.js\"></script>"));
    HttpResponse<String> library = HTTP.send(HttpRequest.newBuilder(
        ticks.url().resolve("/lightweight-charts.js")).build(), HttpResponse.BodyHandlers.ofString());
    assertThat(library.statusCode(), is(200));
    assertThat(library.body(), containsString("createChart"));
  }

  /**
   * A stream client hears of a pane that changes a candle (a LATE pane written as the sink writes
   * it: a hidden file renamed into place), and the candle's current pane changes with it; an older
   * pane of the same candle, written after it, changes nothing.
   */
  @Test
  void aNewPaneReachesStreamClientsAndReplacesTheCandle(@TempDir Path copy) throws Exception {
    Path json = copy.resolve("json");
    copyFolder(tickRun.resolve("json"), json);
    Path day4 = json.resolve("symbol=XRPUSDT/20240304T000000.000Z_20240305T000000.000Z_pane-000.jsonl");
    Candle onTime = CandleJson.fromJson(Files.readAllLines(day4).get(0));
    try (Serving served = ServeCommand.start(new String[] {"--from=" + json, "--port=0"},
        System.err)) {
      BlockingQueue<String> events = new LinkedBlockingQueue<>();
      HttpResponse<Stream<String>> stream = HTTP.send(HttpRequest.newBuilder(
          served.url().resolve("/api/stream")).build(), HttpResponse.BodyHandlers.ofLines());
      assertThat(stream.headers().firstValue("Content-Type").orElse(""),
          startsWith("text/event-stream"));
      Thread reader = new Thread(() -> stream.body().forEach(events::add));
      reader.setDaemon(true);
      reader.start();
      assertThat(next(events, "event: status"), startsWith("data: {"));

      Candle late = new Candle(onTime.symbol(), onTime.windowStart(), onTime.windowEnd(),
          onTime.open(), onTime.high(), 0.4, 0.4, onTime.volume(), onTime.quoteVolume(),
          onTime.totalTrades(), onTime.tickCount() + 1, onTime.avgPrice(), "LATE", 1, false);
      writeLikeTheSink(day4.resolveSibling(
          "20240304T000000.000Z_20240305T000000.000Z_pane-001.jsonl"), late);
      JsonNode event = JSON.readTree(next(events, "event: candle").substring("data: ".length()));
      assertThat(event.get("symbol").asText() + " " + event.get("window_start").asText() + " "
          + event.get("pane_timing").asText() + "#" + event.get("pane_index") + " close "
          + event.get("close"), is("XRPUSDT 2024-03-04T00:00:00Z LATE#1 close 0.4"));
      JsonNode now = get(served, "/api/candles?symbol=XRPUSDT&from=2024-03-04", 200)
          .get("candles").get(0);
      assertThat(now.get("pane_index").asInt(), is(1));
      assertThat(now.get("low").asDouble(), is(0.4));
      assertThat(get(served, "/api/status", 200).get("panes_received").asInt(), is(21));

      // an older pane of the same candle, written after the newer one: nothing changes
      writeLikeTheSink(day4, onTime.withPane("EARLY", 0, false));
      Thread.sleep(2_500); // more than two reads of the folder
      assertThat(get(served, "/api/candles?symbol=XRPUSDT&from=2024-03-04", 200).get("candles")
          .get(0).get("pane_index").asInt(), is(1));
      assertThat(events.stream().filter(l -> l.equals("event: candle")).count(), is(0L));
    }
  }

  private static void copyFolder(Path from, Path to) throws Exception {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : files.toList()) {
        Path target = to.resolve(from.relativize(f).toString());
        if (Files.isDirectory(f)) {
          Files.createDirectories(target);
        } else {
          Files.copy(f, target);
        }
      }
    }
  }

  private static void writeLikeTheSink(Path file, Candle c) throws Exception {
    Path hidden = file.resolveSibling("." + file.getFileName() + ".tmp");
    Files.writeString(hidden, CandleJson.toJson(c) + "\n");
    Files.move(hidden, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  /** Skips stream lines up to {@code line}; returns the line after it. */
  private static String next(BlockingQueue<String> lines, String line) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      String l = lines.poll(1, TimeUnit.SECONDS);
      if (line.equals(l)) {
        return lines.poll(5, TimeUnit.SECONDS);
      }
    }
    throw new AssertionError("no '" + line + "' on the stream within 20 s");
  }

  private static JsonNode get(Serving s, String path, int status) throws Exception {
    HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create(
        s.url().toString().replaceAll("/$", "") + path)).timeout(Duration.ofSeconds(20)).build(),
        HttpResponse.BodyHandlers.ofString());
    assertThat(path + ": " + r.body(), r.statusCode(), is(status));
    assertThat(r.headers().firstValue("Content-Type").orElse(""), startsWith("application/json"));
    return JSON.readTree(r.body());
  }

  private static void assertError(Serving s, String path, int status, String message)
      throws Exception {
    assertThat(path, get(s, path, status).get("error").asText(), containsString(message));
  }

  private static PrintStream quiet() {
    return new PrintStream(new ByteArrayOutputStream());
  }
}
