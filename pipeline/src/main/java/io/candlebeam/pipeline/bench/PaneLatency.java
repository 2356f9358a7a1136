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
 * first {@code skip} seconds (start-up, catching up) are left out. Prints count, p50, p99, max;
 * then the same over the panes written while the feed still ran (before its newest tick was
 * sent): after the feed stops, its last ticks wait out the trigger's delay, which no pane of a
 * running feed does.
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
    long lastSent = panes.stream().mapToLong(p -> p[0] - p[1]).max().orElseThrow();
    List<long[]> kept = panes.stream().filter(p -> p[0] - first >= skip).toList();
    System.out.printf("%s; while fed: %s%n", summary(kept),
        summary(kept.stream().filter(p -> p[0] < lastSent).toList()));
  }

  /** Count, p50, p99 and max of the panes' latencies. */
  static String summary(List<long[]> panes) {
    if (panes.isEmpty()) {
      return "early panes 0";
    }
    long[] latencies = panes.stream().mapToLong(p -> p[1]).sorted().toArray();
    return String.format("early panes %d, latency p50 %.2f s, p99 %.2f s, max %.2f s",
        latencies.length, latencies[latencies.length / 2] / 1000.0,
        latencies[(int) Math.min(latencies.length - 1, Math.ceil(latencies.length * 0.99) - 1)]
            / 1000.0, latencies[latencies.length - 1] / 1000.0);
  }
}
