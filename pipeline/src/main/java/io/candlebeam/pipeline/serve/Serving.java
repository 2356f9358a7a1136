package io.candlebeam.pipeline.serve;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The live candle view: a {@link CandleFeed} polled every {@code refresh} into {@link
 * LiveCandles}, served by a {@link CandleServer}. The same for {@code serve --from=…} and for a
 * streaming job's {@code --serve}. The status carries the run's report ({@code report.json}, which
 * the job rewrites with its counts every report interval) when there is one.
 */
public final class Serving implements AutoCloseable {
  private final CandleFeed feed;
  private final Path reportFile;
  private final Duration refresh;
  private final LiveCandles live = new LiveCandles();
  private final ScheduledExecutorService poller;
  private final PrintStream log;
  private volatile String error;
  private volatile Report report;
  private CandleServer server;

  private Serving(CandleFeed feed, Path reportFile, Duration refresh, PrintStream log) {
    this.feed = feed;
    this.reportFile = reportFile;
    this.refresh = refresh;
    this.log = log;
    this.poller = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "candlebeam-serve-poll");
      t.setDaemon(true);
      return t;
    });
  }

  /**
   * Reads what {@code feed} holds now, then serves it at {@code address} and keeps reading every
   * {@code refresh}. {@code reportFile} may be null (no counts in the status). A read that fails
   * (the folder not there yet, PostgreSQL down) is shown in the status and logged once to {@code
   * log}; reading goes on.
   *
   * @throws java.net.BindException when the address is taken
   */
  public static Serving start(CandleFeed feed, Path reportFile, InetSocketAddress address,
      Duration refresh, PrintStream log) throws IOException {
    Serving s = new Serving(feed, reportFile, refresh, log);
    s.poll();
    s.server = CandleServer.start(address, s.live, s::status);
    s.poller.scheduleWithFixedDelay(s::poll, refresh.toMillis(), refresh.toMillis(),
        TimeUnit.MILLISECONDS);
    return s;
  }

  public URI url() {
    return server.url();
  }

  public LiveCandles candles() {
    return live;
  }

  @Override
  public void close() {
    poller.shutdownNow();
    server.close();
  }

  private void poll() {
    try {
      live.take(feed.poll());
      error = null;
    } catch (Exception e) {
      String message = e.getClass().getSimpleName() + ": " + e.getMessage();
      if (!message.equals(error)) {
        log.println("candlebeam serve: cannot read candles from " + feed.describe() + ": "
            + message + " (trying again every " + refresh.toMillis() + " ms)");
      }
      error = message;
    } catch (Throwable t) {
      error = t.toString(); // keep the poller alive, whatever a file held
    }
  }

  /** The status object of {@code /api/status} and of each stream update. */
  Map<String, Object> status() {
    Map<String, Object> s = new LinkedHashMap<>();
    s.put("source", feed.describe());
    s.put("candles", live.size());
    s.put("panes_received", live.panesReceived());
    s.put("last_update", live.lastUpdate() == null ? null : live.lastUpdate().toString());
    s.put("refresh_ms", refresh.toMillis());
    s.put("error", error);
    s.put("report", report());
    return s;
  }

  /**
   * The run's report as the job last wrote it, or null; read again only when the file changed
   * (every stream client asks for it on every change).
   */
  private Object report() {
    if (reportFile == null) {
      return null;
    }
    try {
      // the job replaces the file whole: a new file (key) or a new time is a new report
      BasicFileAttributes file = Files.readAttributes(reportFile, BasicFileAttributes.class);
      List<Object> version = Arrays.asList(file.fileKey(), file.lastModifiedTime());
      Report last = report;
      if (last != null && last.version().equals(version)) {
        return last.content();
      }
      Object content = Json.MAPPER.readValue(reportFile.toFile(), Map.class);
      report = new Report(version, content);
      return content;
    } catch (IOException e) {
      return null; // not written yet, or replaced while read: the next status has it
    }
  }

  private record Report(List<Object> version, Object content) {}
}
