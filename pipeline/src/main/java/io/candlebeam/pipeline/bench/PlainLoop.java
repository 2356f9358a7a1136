package io.candlebeam.pipeline.bench;

import io.candlebeam.transforms.combine.OhlcAccumulator;
import io.candlebeam.transforms.parse.MalformedRecordException;
import io.candlebeam.transforms.parse.TickParser;
import io.candlebeam.transforms.model.Tick;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The benchmark's practical limit: the same parser and OHLC accumulator as the pipeline, in a
 * plain Java loop over the files on all cores (one thread per file), with a hash map per thread
 * merged at the end. No engine, no shuffle, no fault tolerance.
 *
 * <pre>java -cp candlebeam.jar io.candlebeam.pipeline.bench.PlainLoop &lt;folder of tick files&gt;</pre>
 */
public final class PlainLoop {
  private static final long DAY = 86_400_000L;

  private PlainLoop() {}

  public static void main(String[] args) throws IOException {
    List<Path> files;
    try (Stream<Path> s = Files.list(Path.of(args[0]))) {
      files = s.filter(p -> p.toString().endsWith(".jsonl")).sorted().toList();
    }
    Map<String, OhlcAccumulator> candles = files.parallelStream()
        .map(PlainLoop::candlesOf)
        .reduce(new HashMap<>(), PlainLoop::merge);
    long ticks = candles.values().stream().mapToLong(OhlcAccumulator::count).sum();
    System.out.println("plain loop: " + candles.size() + " candles from " + ticks + " ticks");
  }

  private static Map<String, OhlcAccumulator> candlesOf(Path file) {
    TickParser parser = new TickParser();
    Map<String, OhlcAccumulator> candles = new HashMap<>();
    try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      for (String line = in.readLine(); line != null; line = in.readLine()) {
        try {
          Tick t = parser.parse(line);
          String key = t.symbol() + "|" + Math.floorDiv(t.eventTime(), DAY);
          candles.computeIfAbsent(key, k -> new OhlcAccumulator()).add(t);
        } catch (MalformedRecordException e) {
          // counted by the pipeline; the loop only needs the candles
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return candles;
  }

  private static Map<String, OhlcAccumulator> merge(Map<String, OhlcAccumulator> a,
      Map<String, OhlcAccumulator> b) {
    Map<String, OhlcAccumulator> merged = new HashMap<>(a);
    b.forEach((k, v) -> merged.merge(k, v, OhlcAccumulator::merge));
    return merged;
  }
}
