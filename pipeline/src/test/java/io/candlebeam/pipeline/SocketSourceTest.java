package io.candlebeam.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.candlebeam.pipeline.options.CandleOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The socket source, against a real TCP server that goes away and comes back. */
class SocketSourceTest {
  private static final List<String> FIRST = List.of(
      "{\"timestamp\": \"2024-04-06 10:05:00\", \"word\": \"Streaming\"}",
      "{\"timestamp\": \"2024-04-06 10:14:00\", \"word\": \"Streaming\"}",
      "{\"timestamp\": \"2024-04-06 10:20:00\", \"word\": \"Spark\"}");
  private static final List<String> AFTER_RECONNECT = List.of(
      "{\"timestamp\": \"2024-04-06 10:40:00\", \"word\": \"Hello\"}",
      "{\"timestamp\": \"2024-04-06 10:16:00\", \"word\": \"Hadoop\"}",
      "not a word event",
      "{\"timestamp\": \"2024-04-06 10:48:00\", \"word\": \"Streaming\"}");

  /** Accepts one client, sends it the lines, closes. */
  private static Thread serve(ServerSocket server, List<String> lines) {
    Thread t = new Thread(() -> {
      try (Socket client = server.accept();
          PrintWriter out = new PrintWriter(client.getOutputStream(), true, StandardCharsets.UTF_8)) {
        lines.forEach(out::println);
        Thread.sleep(500);
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    });
    t.start();
    return t;
  }

  @Test
  @Timeout(value = 2, unit = TimeUnit.MINUTES)
  void wordsFromASocketThatGoesAwayAndComesBack(@TempDir Path dir) throws Exception {
    ServerSocket first = new ServerSocket(0);
    int port = first.getLocalPort();
    CandleOptions options = Launcher.plain().ready(new String[] {"--runner=DirectRunner", "--job=words",
        "--source=socket", "--host=127.0.0.1", "--port=" + port, "--outputDir=" + dir,
        "--sinks=json", "--windowSize=15m", "--outputMode=update", "--triggerInterval=1s"}).options();
    // Launcher.ready (prepare) checked the port by connecting once; accept and drop that probe.
    first.accept().close();
    options.as(DirectOptions.class).setBlockOnRun(false);
    Pipeline p = Pipeline.create(options);
    ToolkitJobs.words(p, JobConfig.from(options), CandlePipeline.source(JobConfig.from(options)));
    PipelineResult result = p.run();
    try {
      serve(first, FIRST).join();
      first.close(); // the server goes away...
      Thread.sleep(1_000);
      try (ServerSocket again = new ServerSocket(port)) { // ...and comes back on the same port
        serve(again, AFTER_RECONNECT).join();
      }
      Map<String, Long> counts = awaitCounts(dir.resolve("json"), 5);
      assertThat(counts.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).toList(),
          containsInAnyOrder("Streaming 10:00 2", "Spark 10:15 1", "Hadoop 10:15 1",
              "Hello 10:30 1", "Streaming 10:45 1"));
      assertThat(ExpectedCandles.files(dir.resolve("deadletter"), ".jsonl").size(), is(1));
    } finally {
      result.cancel();
    }
  }

  /** The latest count per word and window start, once {@code keys} of them have all arrived. */
  private static Map<String, Long> awaitCounts(Path json, int keys) throws Exception {
    ObjectMapper mapper = new ObjectMapper();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      Map<String, Long> counts = new TreeMap<>();
      Map<String, Long> panes = new TreeMap<>();
      if (Files.isDirectory(json)) {
        for (Path f : ExpectedCandles.files(json, ".jsonl")) {
          for (String line : Files.readAllLines(f)) {
            JsonNode r = mapper.readTree(line);
            String key = r.get("word").asText() + " " + r.get("window_start").asText().substring(11, 16);
            if (r.get("pane_index").asLong() >= panes.getOrDefault(key, -1L)) {
              panes.put(key, r.get("pane_index").asLong());
              counts.put(key, r.get("count").asLong());
            }
          }
        }
      }
      if (counts.size() == keys && counts.getOrDefault("Streaming 10:00", 0L) == 2) {
        return counts;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("counts so far: " + counts);
      }
      Thread.sleep(250);
    }
  }

  @Test
  void nothingListeningIsAClearErrorAtStart() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Launcher.plain().launch(new String[] {"--runner=DirectRunner", "--job=words",
        "--source=socket", "--host=127.0.0.1", "--port=" + port},
        new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true));
    assertThat(code, is(2));
    assertThat(err.toString(StandardCharsets.UTF_8),
        containsString("--source=socket: nothing listens on 127.0.0.1:" + port));
  }
}
