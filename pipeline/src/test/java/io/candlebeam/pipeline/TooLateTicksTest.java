package io.candlebeam.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.candlebeam.pipeline.options.CandleOptions;
import io.candlebeam.transforms.CandleMetrics;
import io.candlebeam.transforms.late.DivertTooLate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tick that arrives after its day's window closed is not lost: the whole candle job, streaming
 * from a watched directory (one file per micro-batch), writes it to {@code late/} with its raw line
 * and origin, counts it, and leaves the day's candle alone. On Spark and on the DirectRunner.
 * Without this, Spark would drop the tick without a trace: its runner does not count
 * {@code droppedDueToLateness}.
 */
class TooLateTicksTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Fixed base time: 1 March 2024 00:00 UTC. Daily windows, 1 h lateness, 1 h watermark delay. */
  private static final long DAY1 = 1709251200000L;
  private static final long HOUR = 3_600_000L;

  private static String tick(long eventTime, double price) {
    return "{\"symbol\":\"BTCUSDT\",\"event_time\":" + eventTime + ",\"price\":" + price
        + ",\"open\":100,\"high\":200,\"low\":50,\"volume\":1,\"quote_volume\":100,"
        + "\"number_trades\":1,\"price_change\":0,\"price_change_percent\":0,"
        + "\"timestamp\":\"x\"}";
  }

  private static void drop(Path dir, String name, String... lines) throws Exception {
    Path staged = Files.write(dir.resolveSibling(name + ".tmp"), List.of(lines));
    Files.move(staged, dir.resolve(name));
  }


  private static List<Path> files(Path dir) {
    try {
      return Files.isDirectory(dir) ? ExpectedCandles.files(dir, ".jsonl") : List.of();
    } catch (java.io.IOException e) {
      return List.of(); // being written: poll again
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"SparkRunner", "DirectRunner"})
  @Timeout(value = 3, unit = TimeUnit.MINUTES)
  void aTickAfterItsWindowClosedGoesToTheLateOutputWithItsRawLine(String runner, @TempDir Path root)
      throws Exception {
    Path in = Files.createDirectories(root.resolve("in"));
    Path out = root.resolve("out");
    List<String> flags = new java.util.ArrayList<>(List.of("--runner=" + runner, "--streaming",
        "--source=directory", "--input=" + in, "--filePattern=*.jsonl", "--maxFilesPerTrigger=1",
        "--outputDir=" + out, "--sinks=json"));
    if (runner.equals("SparkRunner")) { // what the jar's SparkRunner adapter would set
      flags.addAll(List.of("--sparkMaster=local[2]", "--batchIntervalMillis=1000",
          "--checkpointDir=" + root.resolve("checkpoint")));
    }
    CandleOptions options = Launcher.plain().parse(flags.toArray(String[]::new)).options();
    options.as(DirectOptions.class).setBlockOnRun(false);
    JobConfig config = JobConfig.from(options);
    Pipeline p = Pipeline.create(options);
    CandlePipeline.buildPipeline(p, config, CandlePipeline.source(config), CandleSinks.from(config));
    PipelineResult result = p.run();
    try {
      // Day 1, 10:00 and 12:00: watermark 11:00 of day 1, the window is open.
      drop(in, "a.jsonl", tick(DAY1 + 10 * HOUR, 100), tick(DAY1 + 12 * HOUR, 110));
      // Day 2, 03:00: watermark 02:00 of day 2, past day 1's end and its hour of lateness: the
      // ON_TIME candle of day 1 fires and the window closes.
      drop(in, "b.jsonl", tick(DAY1 + 27 * HOUR, 120));
      Await.until("day 1's candle", 90, () -> files(out.resolve("json")).size() == 1);
      // Day 1, 20:00, after the window closed (and one more tick of day 2, which is fine).
      String tooLate = tick(DAY1 + 20 * HOUR, 999);
      drop(in, "c.jsonl", tooLate, tick(DAY1 + 28 * HOUR, 121));
      Await.until("the late record", 90, () -> files(out.resolve("late")).size() == 1);

      JsonNode late = JSON.readTree(Files.readString(files(out.resolve("late")).get(0)));
      assertThat(late.get("payload").asText(), is(tooLate));
      assertThat(late.get("origin").asText(), containsString("c.jsonl"));
      assertThat(late.get("step").asText(), is(DivertTooLate.STEP));
      assertThat(late.get("reason").asText(), containsString("2024-03-02T00:59:59.999Z"));
      // Day 1's candle is the two timely ticks only: one ON_TIME pane, no LATE pane.
      List<Path> candles = files(out.resolve("json"));
      assertThat(candles.size(), is(1));
      JsonNode day1 = JSON.readTree(Files.readString(candles.get(0)));
      assertThat(day1.get("tick_count").asLong(), is(2L));
      assertThat(day1.get("daily_close").asDouble(), is(110.0));
      assertThat(CandleMetrics.counter(result, DivertTooLate.TOO_LATE), is(1L));
      // Nothing was left for the runner to drop. (Without the divert the DirectRunner drops the
      // tick and counts 1 here; the SparkRunner drops it and counts nothing: checked by hand.)
      assertThat(List.of(CandleMetrics.counter(result, CandleMetrics.DROPPED_LATE)), contains(0L));
    } finally {
      result.cancel();
    }
  }
}
