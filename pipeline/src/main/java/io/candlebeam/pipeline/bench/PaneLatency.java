package io.candlebeam.pipeline.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * {@code PaneLatency <json dir> [skip seconds]}: end-to-end latency of the EARLY panes written
 * from {@link LiveTicks}' feed. For each pane file: written at (its modification time) minus
 * appended at (the close price of the candle = send time of the newest tick in it). Panes from the
 * first {@code skip} seconds (start-up, catching up) are left out. Prints count, p50, p99, max.
 */
public final class PaneLatency {
  private PaneLatency() {}

  public static void main(String[] args) throws Exception {
    ObjectMapper json = new ObjectMapper();
    long skip = args.length > 1 ? Long.parseLong(args[1]) * 1000 : 0;
    List<long[]> panes = new ArrayList<>(); // {written, latency}
    try (Stream<Path> files = Files.walk(Path.of(args[0]))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".jsonl"))
          .filter(p -> !p.getFileName().toString().startsWith(".")).toList()) {
        JsonNode c = json.readTree(Files.readString(f));
        if (!"EARLY".equals(c.get("pane_timing").asText())) {
          continue;
        }
        long written = Files.getLastModifiedTime(f).toMillis();
        long appended = Math.round(c.get("daily_close").asDouble() * 1000);
        panes.add(new long[] {written, written - appended});
      }
    }
    if (panes.isEmpty()) {
      System.out.println("no EARLY panes");
      return;
    }
    long first = panes.stream().mapToLong(p -> p[0]).min().orElseThrow();
    long[] latencies = panes.stream().filter(p -> p[0] - first >= skip).mapToLong(p -> p[1])
        .sorted().toArray();
    System.out.printf("early panes %d, latency p50 %.2f s, p99 %.2f s, max %.2f s%n",
        latencies.length, latencies[latencies.length / 2] / 1000.0,
        latencies[(int) Math.min(latencies.length - 1, Math.ceil(latencies.length * 0.99) - 1)]
            / 1000.0, latencies[latencies.length - 1] / 1000.0);
  }
}
