package io.candlebeam.runners;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real browser for tests: Debian's headless Chromium, driven through the Chrome DevTools
 * Protocol over its WebSocket (no WebDriver, so no Selenium dependencies in the jar's module).
 * Chromium is started with the flags this machine needs (no sandbox as root, no background
 * networking: the network is closed) and a fresh profile.
 */
final class Chromium implements AutoCloseable {
  static final Path BINARY = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
  private static final ObjectMapper JSON = new ObjectMapper();

  private final Process process;
  private final WebSocket socket;
  private final AtomicInteger ids = new AtomicInteger();
  private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();

  private Chromium(Process process, WebSocket socket) {
    this.process = process;
    this.socket = socket;
  }

  /**
   * Skips the test where Chromium is not installed, except under {@code .ci/run}, which installs
   * it and sets {@code CANDLEBEAM_TEST_BROWSER=required}: there a missing browser fails the test.
   */
  static void assumeInstalled() {
    if ("required".equals(System.getenv("CANDLEBEAM_TEST_BROWSER"))) {
      if (!Files.isExecutable(BINARY)) {
        throw new AssertionError(BINARY + " is missing: .ci/run installs Debian's chromium");
      }
      return;
    }
    assumeTrue(Files.isExecutable(BINARY), BINARY + " is not installed (apt-get install chromium)");
  }

  /** Starts Chromium with an empty page of {@code width} × {@code height} CSS pixels. */
  static Chromium start(Path profile, int width, int height) throws Exception {
    Process p = new ProcessBuilder(BINARY.toString(), "--headless", "--no-sandbox", "--disable-gpu",
        "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--hide-scrollbars",
        "--user-data-dir=" + Files.createDirectories(profile), "--remote-debugging-port=0",
        "--window-size=" + width + "," + height, "about:blank")
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    String browserSocket = devToolsAddress(p);
    URI http = URI.create(browserSocket.replaceFirst("^ws://([^/]+)/.*$", "http://$1/json/list"));
    HttpClient client = HttpClient.newHttpClient();
    String page = null;
    for (int i = 0; i < 50 && page == null; i++) {
      for (JsonNode t : JSON.readTree(client.send(HttpRequest.newBuilder(http).build(),
          HttpResponse.BodyHandlers.ofString()).body())) {
        if (t.get("type").asText().equals("page")) {
          page = t.get("webSocketDebuggerUrl").asText();
        }
      }
      if (page == null) {
        Thread.sleep(100);
      }
    }
    if (page == null) {
      p.destroyForcibly();
      throw new IllegalStateException("Chromium shows no page target at " + http);
    }
    Chromium[] self = new Chromium[1];
    WebSocket ws = client.newWebSocketBuilder().buildAsync(URI.create(page),
        new WebSocket.Listener() {
          private final StringBuilder text = new StringBuilder();

          @Override
          public CompletionStage<?> onText(WebSocket w, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
              self[0].received(text.toString());
              text.setLength(0);
            }
            w.request(1);
            return null;
          }
        }).get(30, TimeUnit.SECONDS);
    self[0] = new Chromium(p, ws);
    self[0].call("Page.enable", JSON.createObjectNode());
    return self[0];
  }

  /**
   * Opens {@code url} and waits for its load event. The page may have put its state into the
   * query by then ({@code ?symbol=...}), so the address is compared without it.
   */
  void open(String url) throws Exception {
    ObjectNode params = JSON.createObjectNode().put("url", url);
    JsonNode r = call("Page.navigate", params);
    if (r.has("errorText")) {
      throw new AssertionError("cannot open " + url + ": " + r.get("errorText").asText());
    }
    awaitTrue("the page loaded", 30, "location.href.split('?')[0] === "
        + JSON.writeValueAsString(url.split("\\?")[0]) + " && document.readyState === 'complete'");
  }

  /** The value of a JavaScript expression in the page (a promise is awaited), as JSON. */
  JsonNode eval(String expression) throws Exception {
    ObjectNode params = JSON.createObjectNode().put("expression", expression)
        .put("returnByValue", true).put("awaitPromise", true);
    JsonNode r = call("Runtime.evaluate", params);
    if (r.has("exceptionDetails")) {
      throw new AssertionError("the page threw on " + expression + ": "
          + r.get("exceptionDetails").path("exception").path("description").asText(
          r.get("exceptionDetails").toString()));
    }
    return r.path("result").path("value");
  }

  /** Waits until {@code expression} is true in the page; fails naming {@code what}. */
  void awaitTrue(String what, long seconds, String expression) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!eval("Boolean(" + expression + ")").asBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("waited " + seconds + " s in vain for " + what + " ("
            + expression + "); the page (" + eval("location.href + ', ' + document.readyState")
            .asText() + ") shows: " + eval("document.body.innerText").asText());
      }
      Thread.sleep(200);
    }
  }

  /** Moves the mouse to the page coordinates two JavaScript expressions give. */
  void pointAt(String x, String y) throws Exception {
    ObjectNode params = JSON.createObjectNode().put("type", "mouseMoved")
        .put("x", eval(x).asDouble()).put("y", eval(y).asDouble());
    call("Input.dispatchMouseEvent", params);
  }

  /** A PNG of what the page shows. */
  void screenshot(Path png) throws Exception {
    JsonNode r = call("Page.captureScreenshot", JSON.createObjectNode().put("format", "png"));
    Files.createDirectories(png.toAbsolutePath().getParent());
    Files.write(png, Base64.getDecoder().decode(r.get("data").asText()));
  }

  @Override
  public void close() throws InterruptedException {
    socket.abort();
    process.destroy();
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
    }
  }

  private JsonNode call(String method, ObjectNode params) throws Exception {
    int id = ids.incrementAndGet();
    CompletableFuture<JsonNode> answer = new CompletableFuture<>();
    pending.put(id, answer);
    ObjectNode message = JSON.createObjectNode().put("id", id).put("method", method);
    message.set("params", params);
    socket.sendText(JSON.writeValueAsString(message), true).get(10, TimeUnit.SECONDS);
    JsonNode reply = answer.get(60, TimeUnit.SECONDS);
    if (reply.has("error")) {
      throw new IllegalStateException(method + ": " + reply.get("error"));
    }
    return reply.path("result");
  }

  private void received(String text) {
    try {
      JsonNode message = JSON.readTree(text);
      if (message.has("id")) {
        CompletableFuture<JsonNode> answer = pending.remove(message.get("id").asInt());
        if (answer != null) {
          answer.complete(message);
        }
      }
    } catch (IOException e) {
      // not JSON: the protocol only sends JSON, so nothing waits for this
    }
  }

  /** The browser's DevTools WebSocket address, as Chromium prints it on stderr at start. */
  private static String devToolsAddress(Process p) throws IOException {
    BufferedReader err = new BufferedReader(
        new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8));
    List<String> seen = new ArrayList<>();
    for (String line = err.readLine(); line != null; line = err.readLine()) {
      int at = line.indexOf("DevTools listening on ");
      if (at >= 0) {
        Thread drain = new Thread(() -> err.lines().forEach(l -> { }), "chromium-stderr");
        drain.setDaemon(true);
        drain.start();
        return line.substring(at + "DevTools listening on ".length()).trim();
      }
      seen.add(line);
    }
    throw new IllegalStateException("Chromium ended without a DevTools address: " + seen);
  }
}
