package io.candlebeam.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import io.candlebeam.pipeline.options.CandleOptions;
import io.candlebeam.testdata.TickGenerator;
import io.candlebeam.transforms.io.ReadLinesFromFiles;
import io.candlebeam.transforms.model.Candle;
import io.candlebeam.transforms.model.DeadLetter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Count;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The whole job over shuffled multi-day tick files with malformed lines, compared with the
 * candles of the test-data generator's independent reference computation: on the DirectRunner, the
 * SparkRunner (local[2], batch) and the FlinkRunner (embedded, batch), through the Parquet and JSON
 * sinks: one pipeline, the same candles on every engine.
 */
class BundledDataPipelineTest {
  private static final Map<String, JsonNode> EXPECTED = ExpectedCandles.load(resource("candles.jsonl"));
  private static final Properties COUNTS = ExpectedCandles.counts(resource("counts.properties"));

  private static String resource(String name) {
    try {
      return BundledTestData.resource("expected/" + name);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void buildPipelineGivesTheReferenceCandlesAndOneDeadLetterPerMalformedLine(@TempDir Path out) {
    Pipeline p = Pipeline.create(PipelineOptionsFactory.fromArgs("--runner=DirectRunner").create());
    JobConfig config = JobConfig.from(Launcher.options(new String[] {"--runner=DirectRunner",
        "--outputDir=" + out, "--sinks="}));
    CandleOutputs outputs = CandlePipeline.buildPipeline(p, config,
        new ReadLinesFromFiles(BundledTestData.extract()), CandleSinks.from(config));
    PAssert.that(outputs.candles()).satisfies(candles -> {
      List<Candle> all = new ArrayList<>();
      candles.forEach(all::add);
      for (Candle c : all) {
        assertThat(c.paneTiming() + " pane of " + c, c.paneTiming(), is("ON_TIME"));
      }
      ExpectedCandles.assertMatches(EXPECTED, all);
      return null;
    });
    PAssert.thatSingleton(outputs.deadLetters().apply(Count.globally()))
        .isEqualTo(Long.parseLong(COUNTS.getProperty("malformed")));
    PAssert.that(outputs.deadLetters()).satisfies(letters -> {
      for (DeadLetter d : letters) {
        assertThat(d.origin(), startsWith("/"));
        assertThat(d.step(), is("parse-tick"));
      }
      return null;
    });
    assertThat(PAssert.countAsserts(p), is(3));
    PipelineResult result = p.run();
    result.waitUntilFinish();
    assertThat(io.candlebeam.transforms.CandleMetrics.counter(result, "PAssertSuccess"), is(3L));
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"DirectRunner", "SparkRunner", "FlinkRunner"})
  void runWritesTheReferenceCandlesToParquetAndJson(String runner, @TempDir Path out)
      throws Exception {
    CandleOptions options = Launcher.options(withMaster(runner,
        "--outputDir=" + out, "--sinks=parquet,json"));
    RunReport report = CandlePipeline.run(options);

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
    CandleOptions options = Launcher.options(withMaster(runner,
        "--input=" + dir.resolve("data/ticks") + "/*.jsonl",
        "--outputDir=" + dir.resolve("out"), "--sinks=json"));
    RunReport report = CandlePipeline.run(options);
    assertThat(report.deadLetters(), is(Long.parseLong(counts.getProperty("malformed"))));
    assertThat(report.reconciles(), is(true));
    ExpectedCandles.assertMatches(expected, ExpectedCandles.readJson(dir.resolve("out/json")));
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
