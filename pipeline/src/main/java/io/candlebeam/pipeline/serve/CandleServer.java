package io.candlebeam.pipeline.serve;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The HTTP side of {@code serve}: a read-only server (the JDK's own) with the page, its scripts and
 * a small JSON API over {@link LiveCandles}. Every endpoint answers GET only; nothing writes.
 *
 * <table>
 *   <caption>Endpoints</caption>
 *   <tr><th>path</th><th>answer</th></tr>
 *   <tr><td>{@code /}</td><td>the page: candlestick and volume chart, symbol and timeframe
 *       pickers, status line</td></tr>
 *   <tr><td>{@code /api/symbols}</td><td>each symbol with its timeframes</td></tr>
 *   <tr><td>{@code /api/candles?symbol=&timeframe=&from=&to=}</td><td>the current pane of each
 *       candle, oldest first ({@link ApiQuery})</td></tr>
 *   <tr><td>{@code /api/status}</td><td>candles held, panes received, last update, the run's
 *       report</td></tr>
 *   <tr><td>{@code /api/stream}</td><td>Server-Sent Events: {@code candle} for every pane that
 *       changes a candle, then {@code status}; {@code reset} when a slow client missed some</td></tr>
 * </table>
 *
 * <p>Errors are JSON {@code {"error": "..."}} with a 4xx status: 400 for a bad parameter, 404 for an
 * unknown symbol, timeframe or path, 405 for any method but GET.
 */
public final class CandleServer implements AutoCloseable {
  /** Pending change batches per stream client; a client that falls this far behind is reset. */
  static final int STREAM_BACKLOG = 256;
  private static final String PAGES = "/io/candlebeam/serve/";
  private static final Map<String, String> STATIC = Map.of(
      "/", "index.html", "/app.js", "app.js", "/app.css", "app.css",
      "/lightweight-charts.js", "lightweight-charts.standalone.production.js");

  private final HttpServer http;
  private final ExecutorService threads;
  private final LiveCandles live;
  private final Supplier<Map<String, Object>> status;
  private final Map<String, byte[]> pages = new LinkedHashMap<>();

  private CandleServer(HttpServer http, ExecutorService threads, LiveCandles live,
      Supplier<Map<String, Object>> status) {
    this.http = http;
    this.threads = threads;
    this.live = live;
    this.status = status;
  }

  /**
   * Binds {@code address} (port 0: any free port) and starts serving {@code live}; {@code status}
   * gives the status object. Fails with {@link java.net.BindException} when the port is taken.
   */
  public static CandleServer start(InetSocketAddress address, LiveCandles live,
      Supplier<Map<String, Object>> status) throws IOException {
    HttpServer http = HttpServer.create(address, 64);
    ExecutorService threads = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "candlebeam-serve");
      t.setDaemon(true);
      return t;
    });
    CandleServer server = new CandleServer(http, threads, live, status);
    server.loadPages();
    http.createContext("/", server::handle);
    http.setExecutor(threads);
    http.start();
    return server;
  }

  /** The page's address, e.g. {@code http://127.0.0.1:8080/}. */
  public URI url() {
    InetSocketAddress a = http.getAddress();
    String host = a.getAddress().isAnyLocalAddress() ? "127.0.0.1" : a.getAddress().getHostAddress();
    return URI.create("http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + a.getPort()
        + "/");
  }

  @Override
  public void close() {
    http.stop(0);
    threads.shutdownNow();
  }

  private void loadPages() throws IOException {
    for (Map.Entry<String, String> p : STATIC.entrySet()) {
      try (InputStream in = CandleServer.class.getResourceAsStream(PAGES + p.getValue())) {
        if (in == null) {
          throw new IOException("the page's file " + p.getValue() + " is not in the jar (was it "
              + "built with mvn package, which fetches the chart library?)");
        }
        pages.put(p.getKey(), in.readAllBytes());
      }
    }
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      if (!exchange.getRequestMethod().equals("GET")) {
        exchange.getResponseHeaders().set("Allow", "GET");
        error(exchange, 405, "method " + exchange.getRequestMethod()
            + " is not allowed: this server only reads (GET)");
        return;
      }
      try {
        switch (path) {
          case "/api/symbols" -> {
            ApiQuery.of(exchange.getRequestURI().getRawQuery()).allowOnly();
            json(exchange, 200, Json.symbols(live.symbols()));
          }
          case "/api/candles" -> candles(exchange);
          case "/api/status" -> {
            ApiQuery.of(exchange.getRequestURI().getRawQuery()).allowOnly();
            json(exchange, 200, Json.write(status.get()));
          }
          case "/api/stream" -> {
            ApiQuery.of(exchange.getRequestURI().getRawQuery()).allowOnly();
            stream(exchange);
          }
          default -> page(exchange, path);
        }
      } catch (ApiQuery.BadRequest e) {
        error(exchange, e.status(), e.getMessage());
      }
    }
  }

  private void candles(HttpExchange exchange) throws IOException {
    ApiQuery q = ApiQuery.of(exchange.getRequestURI().getRawQuery());
    q.allowOnly("symbol", "timeframe", "from", "to");
    ApiQuery.Selection s = q.selection(live.symbols());
    json(exchange, 200, Json.candles(s.symbol(), s.timeframe(),
        live.candles(s.symbol(), s.timeframe(), s.from(), s.to())));
  }

  private void page(HttpExchange exchange, String path) throws IOException {
    byte[] body = pages.get(path.equals("/index.html") ? "/" : path);
    if (body == null) {
      error(exchange, 404, "no such page: " + path + " (the page is /, the API /api/symbols, "
          + "/api/candles, /api/status, /api/stream)");
      return;
    }
    String type = path.endsWith(".js") ? "text/javascript" : path.endsWith(".css") ? "text/css"
        : "text/html";
    exchange.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
    exchange.getResponseHeaders().set("Cache-Control", "no-cache");
    exchange.sendResponseHeaders(200, body.length);
    exchange.getResponseBody().write(body);
  }

  /**
   * Server-Sent Events until the client goes: the status at once, then per change the changed
   * candles and the status; a comment every 15 s keeps proxies from closing the stream.
   */
  private void stream(HttpExchange exchange) throws IOException {
    BlockingQueue<List<ServedCandle>> changes = new ArrayBlockingQueue<>(STREAM_BACKLOG);
    boolean[] overflow = {false};
    Consumer<List<ServedCandle>> listener = batch -> {
      if (!changes.offer(batch)) {
        synchronized (overflow) {
          overflow[0] = true;
        }
      }
    };
    exchange.getResponseHeaders().set("Content-Type", "text/event-stream; charset=utf-8");
    exchange.getResponseHeaders().set("Cache-Control", "no-cache");
    exchange.sendResponseHeaders(200, 0);
    live.listen(listener);
    OutputStream out = exchange.getResponseBody();
    try {
      send(out, "retry: 2000\n\n");
      send(out, event("status", Json.write(status.get())));
      while (!Thread.currentThread().isInterrupted()) {
        List<ServedCandle> batch = changes.poll(15, TimeUnit.SECONDS);
        if (batch == null) {
          send(out, ": keep-alive\n\n");
          continue;
        }
        StringBuilder events = new StringBuilder();
        boolean reset;
        synchronized (overflow) {
          reset = overflow[0];
          overflow[0] = false;
        }
        if (reset) {
          changes.clear();
          events.append(event("reset", "{}"));
        } else {
          for (; batch != null; batch = changes.poll()) {
            for (ServedCandle c : batch) {
              events.append(event("candle", Json.candle(c)));
            }
          }
        }
        events.append(event("status", Json.write(status.get())));
        send(out, events.toString());
      }
    } catch (IOException | InterruptedException gone) {
      // the client closed the page, or the server stops
    } finally {
      live.unlisten(listener);
    }
  }

  private static String event(String name, String data) {
    return "event: " + name + "\ndata: " + data + "\n\n";
  }

  private static void send(OutputStream out, String text) throws IOException {
    out.write(text.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private static void json(HttpExchange exchange, int code, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json; charset=utf-8");
    exchange.getResponseHeaders().set("Cache-Control", "no-cache");
    exchange.sendResponseHeaders(code, bytes.length);
    exchange.getResponseBody().write(bytes);
  }

  private static void error(HttpExchange exchange, int code, String message) throws IOException {
    json(exchange, code, Json.write(Map.of("error", message)));
  }
}
