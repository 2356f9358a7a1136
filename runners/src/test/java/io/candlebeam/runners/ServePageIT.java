package io.candlebeam.runners;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import io.candlebeam.testdata.TickGenerator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live candle page in a real browser (headless Chromium) against a running streaming job on
 * the default SparkRunner. As the README's demo runs it ({@code --outputMode=update
 * --triggerInterval=5s --serve}), the page must draw the candles the API holds and update a bar
 * in place as its panes land: EARLY, EARLY again with a new high, ON_TIME when the watermark passes
 * the day, LATE for a late tick; the screenshot it takes is the README's. With the job's default
 * flags (only {@code --serve} added) over a backlog in three partitions, the page must show the
 * reference candles of every symbol, and the last day's when the windows close while it is open.
 */
class ServePageIT {
  private static final String TOPIC = "ticks";
  private static final long DAY = 86_400_000L;
  private static final long HOUR = 3_600_000L;
  private static final long DAY0 = 1_709_251_200_000L; // 2024-03-01T00:00:00Z: the day under test
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int HISTORY_DAYS = 20;

  /** A ticker record: price, and the rolling high and low that the candle takes its own from. */
  private static String tick(String symbol, long time, double price, double high, double low) {
    return String.format(Locale.ROOT, "{\"symbol\":\"%s\",\"event_time\":%d,\"price\":%s,"
        + "\"open\":%s,\"high\":%s,\"low\":%s,\"volume\":%s,\"quote_volume\":%s,"
        + "\"number_trades\":100}", symbol, time, price, price, high, low, 10 + price / 100,
        price * 10);
  }

  /** The ticks first in the topic, and day 0's high, low and last price among them. */
  private record History(List<String> ticks, double day0High, double day0Low, double last) {}

  /** 20 days before day 0 and day 0's first hours, one tick every 2 h, a seeded random walk. */
  private static History history() {
    Random random = new Random(42);
    List<String> ticks = new ArrayList<>();
    double price = 62_000;
    double high = 0;
    double low = Double.MAX_VALUE;
    for (long t = DAY0 - HISTORY_DAYS * DAY; t <= DAY0 + 6 * HOUR; t += 2 * HOUR) {
      price = Math.round(price * (1 + random.nextGaussian() * 0.01) * 100) / 100.0;
      double h = Math.round(price * 1.004 * 100) / 100.0;
      double l = Math.round(price * 0.996 * 100) / 100.0;
      ticks.add(tick("BTCUSDT", t, price, h, l));
      ticks.add(tick("ETHUSDT", t, price / 20, h / 20, l / 20));
      if (t >= DAY0) {
        high = Math.max(high, h);
        low = Math.min(low, l);
      }
    }
    return new History(ticks, high, low, price);
  }

  @Test
  @Timeout(value = 6, unit = TimeUnit.MINUTES)
  void candlesFormAndUpdateInPlaceAsPanesLand(@TempDir Path dir) throws Exception {
    Chromium.assumeInstalled();
    try (KafkaBroker broker = KafkaBroker.start(dir.resolve("broker"))) {
      broker.createTopic(TOPIC, 1);
      History history = history();
      double newHigh = Math.floor(history.day0High()) + 1_500.5;
      double lateLow = Math.floor(history.day0Low()) - 2_000.5;
      double last = history.last();
      KafkaTicks.sendTo(broker, TOPIC, 0, history.ticks());
      int port = freePort();
      JobProcess job = JobProcess.start(dir.resolve("job.out"), List.of("--source=kafka",
          "--bootstrapServers=" + broker.bootstrapServers(), "--topics=" + TOPIC,
          "--startingOffsets=earliest", "--outputMode=update", "--triggerInterval=5s",
          "--sinks=console,parquet,json", "--outputDir=" + dir.resolve("out"), "--serve",
          "--servePort=" + port));
      try {
        job.await("the page's address", 120, () -> output(job).contains("live candle page at"));
        Matcher address = Pattern.compile("live candle page at (http://\\S+)").matcher(output(job));
        assertThat(address.find(), is(true));
        String page = address.group(1);
        assertThat(page, is("http://127.0.0.1:" + port + "/"));
        // Day 0 in an EARLY pane: the watermark (max event time − 1 h) is inside day 0.
        job.await("day 0 of BTCUSDT in an EARLY pane", 180, () -> api(page, "BTCUSDT")
            .path("candles").path(HISTORY_DAYS).path("pane_timing").asText().equals("EARLY"));

        try (Chromium browser = Chromium.start(dir.resolve("chromium"), 1200, 640)) {
          browser.open(page + "?symbol=BTCUSDT&timeframe=1d");
          browser.awaitTrue("the chart drawn", 30, "document.querySelector('#chart canvas') "
              + "&& candlebeam.bars().length === " + (HISTORY_DAYS + 1));
          assertThat("bars = the API's candles", browser.eval("candlebeam.bars().length").asInt(),
              is(api(page, "BTCUSDT").get("count").asInt()));
          assertThat(browser.eval("document.getElementById('symbol').value").asText(),
              is("BTCUSDT"));
          assertThat(browser.eval("[...document.getElementById('symbol').options]"
              + ".map(o => o.value).join()").asText(), is("BTCUSDT,ETHUSDT"));
          browser.awaitTrue("the stream connected", 30,
              "document.getElementById('connection').textContent === 'live'");
          browser.eval("window.sameDocument = true");
          String day0 = "candlebeam.bars().find(b => b.time === " + DAY0 / 1000 + ")";

          // A new high for day 0: the next EARLY pane updates the bar in place.
          KafkaTicks.sendTo(broker, TOPIC, 0,
              List.of(tick("BTCUSDT", DAY0 + 12 * HOUR, last + 900, newHigh, last)));
          await(browser, job, page, "day 0's bar with the new high",
              day0 + ".high === " + newHigh + " && " + day0 + ".pane.pane_timing === 'EARLY' && "
                  + day0 + ".pane.pane_index >= 1");

          // Day 1, 01:30: the watermark (00:30) passes day 0's end: its ON_TIME pane, and day 1.
          KafkaTicks.sendTo(broker, TOPIC, 0,
              List.of(tick("BTCUSDT", DAY0 + DAY + 90 * 60_000, last + 1_000, last + 1_200,
                  last + 800)));
          await(browser, job, page, "day 0 ON_TIME and day 1's bar", day0
              + ".pane.pane_timing === 'ON_TIME' && candlebeam.bars().length === " + (HISTORY_DAYS + 2));

          // A late tick for day 0 (23:50), within the allowed lateness: a LATE pane, a new low.
          KafkaTicks.sendTo(broker, TOPIC, 0,
              List.of(tick("BTCUSDT", DAY0 + DAY - 10 * 60_000, last + 700, last + 800, lateLow)));
          await(browser, job, page, "day 0 LATE with the late tick's low", day0
              + ".pane.pane_timing === 'LATE' && " + day0 + ".low === " + lateLow);

          assertThat("the page was never reloaded", browser.eval("window.sameDocument === true")
              .asBoolean(), is(true));
          assertThat(browser.eval("candlebeam.bars().length").asInt(),
              is(api(page, "BTCUSDT").get("count").asInt()));
          browser.awaitTrue("the status line with the run's counts", 30,
              "document.getElementById('status').textContent.includes('records read')");
          String status = browser.eval("document.getElementById('status').textContent").asText();
          assertThat(status, containsString("panes received"));
          assertThat(status, containsString("0 dead letters · 0 too late"));
          browser.pointAt("candlebeam.chart.timeScale().timeToCoordinate(" + DAY0 / 1000 + ")",
              "document.getElementById('chart').getBoundingClientRect().top + 200");
          browser.awaitTrue("the legend on day 0", 10,
              "document.getElementById('pane').textContent.startsWith('LATE')");
          browser.screenshot(Path.of("target", "serve-page.png"));
        }
      } finally {
        assertThat("exit code of the graceful stop", job.sigterm(), is(0));
      }
    }
  }

  /** Waits up to 90 s for {@code condition} in the page; fails with the API's and the job's view. */
  private static void await(Chromium browser, JobProcess job, String page, String what,
      String condition) throws Exception {
    try {
      browser.awaitTrue(what, 90, condition);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "\nAPI: " + api(page, "BTCUSDT") 
          + "\njob:\n" + output(job), e);
    }
  }

  @Test
  @Timeout(value = 6, unit = TimeUnit.MINUTES)
  void withTheDefaultFlagsABacklogInThreePartitionsShowsTheReferenceCandles(@TempDir Path dir)
      throws Exception {
    Chromium.assumeInstalled();
    try (KafkaBroker broker = KafkaBroker.start(dir.resolve("broker"))) {
      // 4 symbols x 3 days, event-time order per partition, malformed lines among them
      TickGenerator.DataSet data = KafkaTicks.produce(broker, dir, TOPIC);
      Map<String, JsonNode> expected = KafkaTicks.expected(data);
      int port = freePort();
      JobProcess job = JobProcess.start(dir.resolve("job.out"), List.of("--source=kafka",
          "--bootstrapServers=" + broker.bootstrapServers(), "--topics=" + TOPIC,
          "--startingOffsets=earliest", "--outputDir=" + dir.resolve("out"), "--serve",
          "--servePort=" + port));
      try {
        String page = "http://127.0.0.1:" + port + "/";
        List<String> symbols = expected.keySet().stream().map(k -> k.split("\\|")[0]).distinct()
            .sorted().toList();
        // append mode: a day's candle once the watermark (1 h behind) passes it, so two days each
        job.await("two days of every symbol on the page's API", 240, () -> symbols.stream()
            .allMatch(sym -> api(page, sym).path("count").asInt() == 2));
        try (Chromium browser = Chromium.start(dir.resolve("chromium"), 1200, 640)) {
          browser.open(page);
          browser.awaitTrue("the chart drawn", 30, "document.querySelector('#chart canvas') "
              + "&& candlebeam.bars().length === 2");
          assertThat(browser.eval("[...document.getElementById('symbol').options]"
              + ".map(o => o.value).join()").asText(), is(String.join(",", symbols)));
          browser.awaitTrue("the stream connected", 30,
              "document.getElementById('connection').textContent === 'live'");
          // A tick two days after the last on every partition closes the last day's windows.
          long last = data.ticks().stream()
              .mapToLong(io.candlebeam.testdata.ReferenceCandles.GeneratedTick::eventTime).max()
              .orElseThrow();
          KafkaTicks.closeWindows(broker, TOPIC, last + 2 * DAY);
          browser.awaitTrue("the last day's bar, without a reload", 120,
              "candlebeam.bars().length === 3");
          for (String symbol : symbols) {
            browser.eval("(() => { const s = document.getElementById('symbol'); s.value = '"
                + symbol + "'; s.dispatchEvent(new Event('change')); })()");
            browser.awaitTrue(symbol + " shown", 30, "candlebeam.shown().symbol === '" + symbol
                + "' && candlebeam.bars().length === 3 && candlebeam.bars()[0].pane.symbol === '"
                + symbol + "'");
            for (JsonNode bar : browser.eval("candlebeam.bars().map(b => b.pane)")) {
              JsonNode x = expected.get(symbol + "|" + bar.get("window_start").asText());
              String at = symbol + " " + bar.get("window_start").asText();
              assertThat(at, bar.get("open").asDouble(), is(x.get("daily_open").asDouble()));
              assertThat(at, bar.get("high").asDouble(), is(x.get("daily_high").asDouble()));
              assertThat(at, bar.get("low").asDouble(), is(x.get("daily_low").asDouble()));
              assertThat(at, bar.get("close").asDouble(), is(x.get("daily_close").asDouble()));
              assertThat(at, bar.get("pane_timing").asText(), is("ON_TIME"));
            }
          }
        }
      } finally {
        assertThat("exit code of the graceful stop", job.sigterm(), is(0));
      }
    }
  }

  private static String output(JobProcess job) {
    try {
      return job.output();
    } catch (java.io.IOException e) {
      return "";
    }
  }

  /** The API's candles of {@code symbol}, or an empty object while the page is not up. */
  private static JsonNode api(String page, String symbol) {
    try {
      return JSON.readTree(URI.create(page + "api/candles?symbol=" + symbol).toURL());
    } catch (java.io.IOException e) {
      return JSON.createObjectNode();
    }
  }

  private static int freePort() throws java.io.IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
