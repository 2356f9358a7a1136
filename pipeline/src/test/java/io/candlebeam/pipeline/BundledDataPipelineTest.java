package io.candlebeam.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.startsWith;

import com.fasterxml.jackson.databind.JsonNode;
import io.candlebeam.transforms.io.ReadLinesFromFiles;
import io.candlebeam.transforms.model.Candle;
import io.candlebeam.transforms.model.DeadLetter;
import java.nio.file.Path;
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

/**
 * The job's graph over shuffled multi-day tick files with malformed lines, compared with the
 * candles of the test-data generator's independent reference computation, pane-precise on the
 * DirectRunner. The same data through the launcher on every runner and the file sinks: {@code
 * runners/}' {@code EveryRunnerTest}.
 */
class BundledDataPipelineTest {
  private static final Map<String, JsonNode> EXPECTED = ExpectedCandles.bundled();
  private static final Properties COUNTS = ExpectedCandles.bundledCounts();

  @Test
  void buildPipelineGivesTheReferenceCandlesAndOneDeadLetterPerMalformedLine(@TempDir Path out) {
    Pipeline p = Pipeline.create(PipelineOptionsFactory.fromArgs("--runner=DirectRunner").create());
    JobConfig config = Launcher.plain().parse("--runner=DirectRunner", "--outputDir=" + out, "--sinks=").config();
    CandleOutputs<Candle> outputs = CandlePipeline.buildPipeline(p, config,
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

}
