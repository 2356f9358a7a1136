package io.candlebeam.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.candlebeam.transforms.CandleMetrics;
import io.candlebeam.transforms.dedup.DropDuplicates;
import io.candlebeam.transforms.io.ReadLinesFromFiles;
import io.candlebeam.transforms.model.DeadLetter;
import io.candlebeam.transforms.model.TradeCandle;
import io.candlebeam.transforms.parse.ParseRecords;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Count;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trade job ({@code --inputFormat=trade}) over the bundled trade stream (bursts, several
 * trades per millisecond, aggTrades, repeated deliveries, malformed lines) with three timeframes,
 * compared with the generator's independent reference; the same data through the launcher and the
 * file sinks on every runner is in {@code runners/}' {@code EveryRunnerTest}.
 */
class TradeCandlesPipelineTest {
  private static final Properties COUNTS = ExpectedTradeCandles.bundledCounts();

  private static JobConfig config(Path out, String... more) {
    List<String> args = new ArrayList<>(List.of("--runner=DirectRunner", "--outputDir=" + out,
        "--sinks=", "--inputFormat=trade", "--timeframes=1m,1h,1d"));
    args.addAll(List.of(more));
    return Launcher.plain().parse(args.toArray(String[]::new)).config();
  }

  @Test
  void everyTimeframeGivesTheReferenceBarsWithRepeatsDroppedAndCounted(@TempDir Path out) {
    Pipeline p = Pipeline.create(PipelineOptionsFactory.fromArgs("--runner=DirectRunner").create());
    JobConfig config = config(out);
    CandleOutputs<TradeCandle> outputs = CandlePipeline.buildTradePipeline(p, config,
        new ReadLinesFromFiles(BundledTestData.extractTrades()), CandleSinks.forTrades(config));
    PAssert.that(outputs.candles()).satisfies(bars -> {
      List<TradeCandle> all = new ArrayList<>();
      bars.forEach(all::add);
      ExpectedTradeCandles.assertMatches(ExpectedTradeCandles.bundled(), all);
      return null;
    });
    PAssert.thatSingleton(outputs.deadLetters().apply(Count.globally()))
        .isEqualTo(Long.parseLong(COUNTS.getProperty("malformed")));
    PAssert.that(outputs.deadLetters()).satisfies(letters -> {
      for (DeadLetter d : letters) {
        assertThat(d.step(), is("parse-trade"));
      }
      return null;
    });
    PipelineResult result = p.run();
    result.waitUntilFinish();
    long duplicates = Long.parseLong(COUNTS.getProperty("duplicates"));
    long trades = Long.parseLong(COUNTS.getProperty("trades"));
    assertThat(CandleMetrics.counter(result, DropDuplicates.DUPLICATES), is(duplicates));
    assertThat(CandleMetrics.counter(result, ParseRecords.PARSED), is(trades + duplicates));
  }

  @Test
  void flagsThatDoNotFitAreRefused(@TempDir Path out) {
    assertThat(assertThrows(IllegalArgumentException.class,
        () -> config(out, "--windowPeriod=1h")).getMessage(),
        containsString("--timeframes excludes --sessionGap and --windowPeriod"));
    assertThat(assertThrows(IllegalArgumentException.class,
        () -> Launcher.plain().parse("--inputFormat=candle").config()).getMessage(),
        containsString("--inputFormat=candle is not an input format"));
    assertThat(assertThrows(IllegalArgumentException.class,
        () -> Launcher.plain().parse("--timeframes=1h,60m").config()).getMessage(),
        containsString("--timeframes: timeframe 1h is given twice"));
    assertThat(assertThrows(IllegalArgumentException.class,
        () -> Launcher.plain().parse("--timeframes=1h,1d", "--sinks=jdbc").config()).getMessage(),
        containsString("needs --inputFormat=trade"));
    assertThat(assertThrows(IllegalArgumentException.class,
        () -> Launcher.plain().parse("--timeframes=1h,1d", "--windowSize=1h").config()).getMessage(),
        containsString("--windowSize has no effect with --timeframes"));
    assertThat(assertThrows(IllegalArgumentException.class,
        () -> Launcher.plain().parse("--job=words", "--inputFormat=trade").config()).getMessage(),
        containsString("--inputFormat has no effect with --job=words"));
  }
}
