package io.candlebeam.pipeline.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * {@code AwaitTicks <json dir> <ticks> <timeout s>}: started with a streaming job, waits until the
 * latest panes of its candles hold {@code ticks} ticks (update mode: every window's newest pane is
 * its whole candle so far), and prints when the first pane appeared and when the last tick was in,
 * so the benchmark gets sustained throughput without the engine's start-up: the ticks that reached
 * candles after the first pane, over the time from that pane to the last tick (not every tick over
 * that time: a job that reads longer before its first pane would look faster than it is); and
 * the same over the second half of the ticks, when the JVM has compiled the hot code (on 2 cores
 * the first 30-40 s of a streaming job spend about as much CPU in the JIT compiler as in tasks).
 */
public final class AwaitTicks {
  private static final ObjectMapper JSON = new ObjectMapper();

  private AwaitTicks() {}

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    long want = Long.parseLong(args[1]);
    long deadline = System.currentTimeMillis() + Long.parseLong(args[2]) * 1000;
    long start = System.currentTimeMillis();
    long firstPane = -1;
    long atFirstPane = 0;
    long half = -1; // when half of the ticks were in
    long atHalf = 0;
    long have = 0;
    Map<Path, long[]> seen = new HashMap<>(); // file -> {window key hash, pane index, ticks}
    while (System.currentTimeMillis() < deadline) {
      try {
        have = ticksInLatestPanes(dir, seen);
      } catch (java.io.UncheckedIOException e) {
        Thread.sleep(100); // a sink renamed a file under the walk: poll again
        continue;
      }
      if (have > 0 && firstPane < 0) {
        firstPane = System.currentTimeMillis();
        atFirstPane = have;
      }
      if (have * 2 >= want && half < 0) {
        half = System.currentTimeMillis();
        atHalf = have;
      }
      if (have >= want) {
        long done = System.currentTimeMillis();
        System.out.printf("first pane %.1f s (%d ticks), all %d ticks %.1f s after start: %.0f "
            + "ticks/s sustained, second half %.0f ticks/s%n", (firstPane - start) / 1000.0,
            atFirstPane, have, (done - start) / 1000.0,
            (have - atFirstPane) / Math.max(0.001, (done - firstPane) / 1000.0),
            (have - atHalf) / Math.max(0.001, (done - half) / 1000.0));
        return;
      }
      Thread.sleep(500);
    }
    System.out.printf("timed out with %d of %d ticks in candles%n", have, want);
    System.exit(1);
  }

  private static long ticksInLatestPanes(Path dir, Map<Path, long[]> seen) throws IOException {
    if (!Files.isDirectory(dir)) {
      return 0;
    }
    Map<String, long[]> latest = new HashMap<>(); // window -> {pane index, ticks}
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".jsonl"))
          .filter(p -> !p.getFileName().toString().startsWith(".")).toList()) {
        long[] pane = seen.get(f);
        if (pane == null) {
          try {
            var c = JSON.readTree(Files.readString(f));
            pane = new long[] {c.get("pane_index").asLong(), c.get("tick_count").asLong()};
            seen.put(f, pane);
          } catch (IOException | RuntimeException e) {
            continue; // being written
          }
        }
        String window = f.getParent().getFileName() + "/" + f.getFileName().toString()
            .replaceFirst("_pane-\\d+\\.jsonl$", "");
        long[] p = pane;
        latest.merge(window, p, (a, b) -> a[0] >= b[0] ? a : b);
      }
    }
    return latest.values().stream().mapToLong(p -> p[1]).sum();
  }
}
