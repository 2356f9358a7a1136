package io.candlebeam.pipeline;

import io.candlebeam.pipeline.options.CandleOptions;
import io.candlebeam.pipeline.serve.ServeCommand;
import io.candlebeam.pipeline.serve.Serving;
import io.candlebeam.transforms.ParseAndCalculateCandles;
import io.candlebeam.transforms.io.ReadLinesFromFiles;
import io.candlebeam.transforms.io.ReadWholeFiles;
import io.candlebeam.transforms.model.Candle;
import io.candlebeam.transforms.model.DeadLetter;
import io.candlebeam.transforms.model.RawRecord;
import io.candlebeam.transforms.model.TradeCandle;
import io.candlebeam.transforms.directory.WatchDirectorySource;
import io.candlebeam.transforms.socket.SocketSource;
import org.apache.beam.sdk.io.Read;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.io.fs.ResourceId;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.PDone;

/**
 * The candle job: read → too-late records aside → parse (dead letters aside) → windows and OHLC
 * combine → sinks.
 *
 * <p>{@code Main} (in {@code runners/}) → {@link Launcher} → {@link #run} → {@link
 * #buildPipeline}; the source and the sinks are parameters of {@code buildPipeline}, so a test
 * swaps them.
 */
public final class CandlePipeline {
  private CandlePipeline() {}

  /**
   * Runs the job the options describe and returns its counts: a batch run to the end of its input,
   * a streaming run until it is stopped, watched as {@code runner} says ({@link StreamingRun}).
   */
  public static RunReport run(CandleOptions options, RunnerAdapter runner) throws IOException {
    JobConfig config = JobConfig.from(options);
    Pipeline pipeline = Pipeline.create(options);
    FileSystems.setDefaultPipelineOptions(options);
    if (config.overwrite() && !config.streaming()) {
      clearSinkFolders(config.outputDir());
    }
    switch (config.job()) {
      case "words" -> ToolkitJobs.words(pipeline, config, source(config));
      case "devices" -> ToolkitJobs.devices(pipeline, config, source(config));
      case "records" -> ToolkitJobs.records(pipeline, config, source(config));
      default -> {
        if (config.trades()) {
          buildTradePipeline(pipeline, config, source(config), CandleSinks.forTrades(config));
        } else {
          buildPipeline(pipeline, config, source(config), CandleSinks.from(config));
        }
      }
    }
    if (config.serve() != null) {
      // bound before the run starts, so a taken port fails the launch, not a running job
      try (Serving serving = ServeCommand.forJob(config, System.err)) {
        System.out.println("candlebeam: live candle page at " + serving.url());
        return runAndWatch(pipeline, options, runner, config);
      }
    }
    return runAndWatch(pipeline, options, runner, config);
  }

  private static RunReport runAndWatch(Pipeline pipeline, CandleOptions options,
      RunnerAdapter runner, JobConfig config) {
    PipelineResult result = pipeline.run();
    if (config.streaming()) {
      // A runner that ends an availableNow run on its own must not be stopped from here: that
      // could cut it short.
      boolean stopWhenSettled = options.getAvailableNow() && !runner.endsAvailableNowRun();
      PipelineResult counted = runner.counted(result, options);
      runner.started(counted != null ? counted : result, options, System.out);
      return StreamingRun.await(counted != null ? counted : result, config.sinks(),
          counted != null, stopWhenSettled,
          options.getReportIntervalSeconds(), System.out, config.outputDir());
    }
    result.waitUntilFinish();
    RunReport report = RunReport.of(result, config.sinks());
    report.writeTo(config.outputDir(), "done");
    return report;
  }

  /**
   * Wires source → divert too-late records → parse → candles → sinks into {@code pipeline}. An
   * unbounded source stamps each record with the watermark it was read under ({@link
   * RawRecord#readWatermark}), which the too-late check judges it by. The steps up to the shuffle
   * run fused ({@link ParseAndCalculateCandles}: the same as {@link
   * io.candlebeam.transforms.late.DivertTooLate} → {@link io.candlebeam.transforms.ParseTicks} →
   * {@link io.candlebeam.transforms.CalculateCandles}, without a persisted PCollection of ticks).
   */
  public static CandleOutputs<Candle> buildPipeline(Pipeline pipeline, JobConfig config,
      PTransform<PBegin, PCollection<RawRecord>> source, CandleSinks<Candle> sinks) {
    return wire(pipeline,
        ParseAndCalculateCandles.ticks(config.windowing()).deduplicating(config.dedup()),
        source, sinks);
  }

  /** The same for trades ({@code --inputFormat=trade}): OHLCV bars, one per timeframe window. */
  public static CandleOutputs<TradeCandle> buildTradePipeline(Pipeline pipeline, JobConfig config,
      PTransform<PBegin, PCollection<RawRecord>> source, CandleSinks<TradeCandle> sinks) {
    return wire(pipeline,
        ParseAndCalculateCandles.trades(config.windowing()).deduplicating(config.dedup()),
        source, sinks);
  }

  private static <C> CandleOutputs<C> wire(Pipeline pipeline,
      ParseAndCalculateCandles<?, ?, C> calculate,
      PTransform<PBegin, PCollection<RawRecord>> source, CandleSinks<C> sinks) {
    PCollectionTuple out = pipeline.apply("Read", source)
        .apply("ParseAndCalculateCandles", calculate);
    PCollection<C> candles = out.get(calculate.candles());
    for (Map.Entry<String, PTransform<PCollection<C>, PDone>> sink : sinks.candles().entrySet()) {
      candles.apply("Write-" + sink.getKey(), sink.getValue());
    }
    PCollection<DeadLetter> deadLetters = out.get(ParseAndCalculateCandles.DEAD_LETTERS);
    PCollection<DeadLetter> tooLate = out.get(ParseAndCalculateCandles.TOO_LATE);
    deadLetters.apply("WriteDeadLetters", sinks.deadLetters());
    tooLate.apply("WriteTooLate", sinks.tooLate());
    return new CandleOutputs<>(candles, deadLetters, tooLate);
  }

  /** The source a config asks for. */
  static PTransform<PBegin, PCollection<RawRecord>> source(JobConfig config) {
    return switch (config.source()) {
      case "files" -> config.multiLine() ? new ReadWholeFiles(config.input())
          : new ReadLinesFromFiles(config.input()).asSource(config.filesAsSource());
      case "kafka" -> config.kafka().source(config.eventTimeOfBytes());
      case "socket" -> read(new SocketSource(config.host(), config.port(),
          config.watermarkDelay(), config.eventTime()));
      case "directory" -> read(new WatchDirectorySource(config.watch(), config.eventTime()));
      default -> throw new IllegalArgumentException("no source " + config.source());
    };
  }

  private static PTransform<PBegin, PCollection<RawRecord>> read(
      org.apache.beam.sdk.io.UnboundedSource<RawRecord, ?> source) {
    return new PTransform<>() {
      @Override
      public PCollection<RawRecord> expand(PBegin begin) {
        return begin.apply("ReadUnbounded", Read.from(source));
      }
    };
  }

  /** Deletes the files of this job's sink folders (only those) under {@code outputDir}. */
  static void clearSinkFolders(String outputDir) throws IOException {
    String dir = outputDir.endsWith("/") ? outputDir : outputDir + "/";
    List<ResourceId> old = new ArrayList<>();
    for (String folder : CandleSinks.FOLDERS) {
      MatchResult match =
          FileSystems.match(dir + folder + "/**", EmptyMatchTreatment.ALLOW_IF_WILDCARD);
      if (match.status() == MatchResult.Status.OK) {
        match.metadata().forEach(m -> old.add(m.resourceId()));
      }
    }
    FileSystems.delete(old);
  }

  /** Prints the report of a finished run. */
  static void print(RunReport report, PrintStream out) {
    out.print(report);
    out.flush();
  }
}
