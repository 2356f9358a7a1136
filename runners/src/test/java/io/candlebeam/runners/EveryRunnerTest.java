package io.candlebeam.runners;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import io.candlebeam.pipeline.CandlePipeline;
import io.candlebeam.pipeline.ExpectedCandles;
import io.candlebeam.pipeline.Launcher.Launch;
import io.candlebeam.pipeline.RunReport;
import io.candlebeam.pipeline.ExpectedTradeCandles;
import io.candlebeam.testdata.TickGenerator;
import io.candlebeam.testdata.TradeGenerator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The whole job through the jar's launcher, with each runner's adapter, over shuffled multi-day
 * tick files with malformed lines, compared with the candles of the test-data generator's
 * independent reference computation: on the DirectRunner, the SparkRunner (local[2], batch) and the
 * FlinkRunner (embedded, batch), through the Parquet and JSON sinks: one pipeline, the same candles
 * on every engine.
 */
class EveryRunnerTest {
  private static final Map<String, JsonNode> EXPECTED = ExpectedCandles.bundled();
  private static final Properties COUNTS = ExpectedCandles.bundledCounts();

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"DirectRunner", "SparkRunner", "FlinkRunner"})
  void runWritesTheReferenceCandlesToParquetAndJson(String runner, @TempDir Path out)
      throws Exception {
    Launch launch = Main.launcher().ready(withMaster(runner,
        "--outputDir=" + out, "--sinks=parquet,json"));
    RunReport report = CandlePipeline.run(launch.options(), launch.runner());

    long malformed = Long.parseLong(COUNTS.getProperty("malformed"));
    assertThat(report.read(), is(Long.parseLong(COUNTS.getProperty("lines"))));
    assertThat(report.parsed(), is(Long.parseLong(COUNTS.getProperty("ticks"))));
    assertThat(report.deadLetters(), is(malformed));
    assertThat(report.rowsWritten().get("deadletter"), is(malformed));
    assertThat(report.rowsWritten().get("parquet"), is((long) EXPECTED.size()));
    ExpectedCandles.assertMatches(EXPECTED, ExpectedCandles.readParquet(out.resolve("parquet")));
    ExpectedCandles.assertMatches(EXPECTED, ExpectedCandles.readJson(out.resolve("json")));
    assertThat(ExpectedCandles.files(out.resolve("deadletter"), ".jsonl").stream()
        .mapToLong(f -> lines(f)).sum(), is(malformed));
    // Hadoop readers reject ':' in file names; ours carry window and pane without one.
    assertThat(ExpectedCandles.files(out.resolve("parquet"), ".parquet").stream()
        .filter(f -> f.toString().contains(":")).toList(), empty());
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"DirectRunner", "SparkRunner", "FlinkRunner"})
  void freshlyGeneratedDataMatchesTheReferenceToo(String runner, @TempDir Path dir) throws Exception {
    // A data set this code base has never seen: 7 symbols x 3 days, ties, gaps and bad lines.
    TickGenerator.write(dir.resolve("data"),
        new TickGenerator(4242, 7, 3, 400, 3, 53, LocalDate.parse("2025-12-30")));
    Map<String, JsonNode> expected =
        ExpectedCandles.load(Files.readString(dir.resolve("data/expected/candles.jsonl")));
    Properties counts = ExpectedCandles.counts(
        Files.readString(dir.resolve("data/expected/counts.properties")));
    Launch launch = Main.launcher().ready(withMaster(runner,
        "--input=" + dir.resolve("data/ticks") + "/*.jsonl",
        "--outputDir=" + dir.resolve("out"), "--sinks=json"));
    RunReport report = CandlePipeline.run(launch.options(), launch.runner());
    assertThat(report.deadLetters(), is(Long.parseLong(counts.getProperty("malformed"))));
    assertThat(report.reconciles(), is(true));
    ExpectedCandles.assertMatches(expected, ExpectedCandles.readJson(dir.resolve("out/json")));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"DirectRunner", "SparkRunner", "FlinkRunner"})
  void tradesGiveTheReferenceBarsOfEveryTimeframe(String runner, @TempDir Path dir)
      throws Exception {
    // A trade stream never seen before: bursts, same-millisecond fills, aggTrades, repeats.
    TradeGenerator.DataSet data = TradeGenerator.write(dir.resolve("data"),
        new TradeGenerator(777, 3, 2, 250, 3, 61, 50, LocalDate.parse("2026-02-27")));
    List<String> expected = ExpectedTradeCandles.lines(
        Files.readString(dir.resolve("data/expected/trade-candles.jsonl")));
    Launch launch = Main.launcher().ready(withMaster(runner,
        "--inputFormat=trade", "--timeframes=1m,1h,1d",
        "--input=" + dir.resolve("data/trades") + "/*.jsonl",
        "--outputDir=" + dir.resolve("out"), "--sinks=json,parquet"));
    RunReport report = CandlePipeline.run(launch.options(), launch.runner());
    assertThat(report.reconciles(), is(true));
    assertThat(report.deadLetters(), is((long) data.malformed()));
    assertThat(report.duplicates(), is((long) data.duplicates()));
    assertThat(report.parsed(), is((long) (data.trades().size() + data.duplicates())));
    ExpectedTradeCandles.assertMatches(expected,
        ExpectedTradeCandles.readJson(dir.resolve("out/json")));
    assertThat(new java.util.TreeSet<>(
            ExpectedTradeCandles.readParquetSummaries(dir.resolve("out/parquet"))),
        is(new java.util.TreeSet<>(ExpectedTradeCandles.summaries(expected))));
  }

  private static long lines(Path f) {
    try {
      return Files.readAllLines(f).size();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  /** {@code --runner=runner}, {@code local[2]} on Spark, then {@code flags}. */
  static String[] withMaster(String runner, String... flags) {
    java.util.List<String> all = new java.util.ArrayList<>(java.util.List.of("--runner=" + runner));
    if (runner.equals("SparkRunner")) {
      all.add("--sparkMaster=local[2]");
    }
    all.addAll(java.util.List.of(flags));
    return all.toArray(String[]::new);
  }
}
