package io.candlebeam.runners;

import io.candlebeam.pipeline.JobConfig;
import io.candlebeam.pipeline.KafkaOffsets;
import io.candlebeam.pipeline.Launcher;
import io.candlebeam.pipeline.options.CandleOptions;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.apache.beam.runners.flink.FlinkDetachedRunnerResult;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * Beam's FlinkRunner (embedded unless {@code --flinkMaster} is given). Streaming settings filled in
 * unless the command line gives them (why each: docs/runners.md):
 *
 * <ul>
 *   <li>A checkpoint every second: Flink's micro-batch boundary (sources commit Kafka offsets, a
 *       watched directory's files and its maxFilesPerTrigger on checkpoints).
 *   <li>Bundles finished before each checkpoint, so the in-bundle partial candles of an idle
 *       stream reach their candle.
 *   <li>{@code fasterCopy}: chained operators hand elements over without a copy (no candlebeam
 *       DoFn mutates what it received or emitted, which the DirectRunner enforces in the tests).
 *   <li>Detached ({@code --attachedMode=false}) unless {@code --availableNow}: {@code run()}
 *       returns, so the launcher can stop the job; a detached job reports no metrics.
 *   <li>For a Kafka source, a reader per partition: {@code --parallelism} = max(cores, partitions).
 *   <li>Streaming on the embedded cluster: Flink's web UI and REST API on 127.0.0.1, the first free
 *       port of 8081-8180 ({@link FlinkRest}; {@code --flinkUi=false} turns them off), from which the
 *       launcher reads a detached job's counts ({@link FlinkRestMetrics}); on a cluster, from the
 *       cluster's REST API.
 * </ul>
 */
final class FlinkAdapter extends NamedAdapter {
  static final String NAME = "FlinkRunner";

  private static final Map<String, String> OWN = Map.of(
      "--flinkMaster", "the FlinkRunner",
      "--checkpointingInterval", "the FlinkRunner (1000 when streaming; the SparkRunner "
          + "checkpoints every micro-batch into --checkpointDir)",
      "--fasterCopy", "the FlinkRunner (true when streaming)",
      "--flinkUi", "the FlinkRunner (true: the web UI of an embedded streaming run)");

  static {
    PipelineOptionsFactory.register(FlinkUiOptions.class);
  }

  FlinkAdapter() {
    super(NAME, "FlinkPipelineOptions", OWN);
  }

  @Override
  public void configure(CandleOptions options, List<String> typed, JobConfig config) {
    FlinkPipelineOptions flink = options.as(FlinkPipelineOptions.class);
    if (config.kafka().exactlyOnce() && typed.stream().anyMatch(a -> a.matches(
        "--checkpointingInterval=(-.*|0+)"))) {
      throw new IllegalArgumentException("--kafkaExactlyOnce commits at Flink checkpoints: "
          + "give --checkpointingInterval a positive number of milliseconds");
    }
    if (!config.streaming()) {
      return;
    }
    if (!Launcher.given(typed, "--checkpointingInterval")) {
      flink.setCheckpointingInterval(1000L);
    }
    if (!Launcher.given(typed, "--finishBundleBeforeCheckpointing")) {
      flink.setFinishBundleBeforeCheckpointing(true);
    }
    if (!Launcher.given(typed, "--attachedMode") && !Launcher.given(typed, "--availableNow")) {
      flink.setAttachedMode(false);
    }
    if (!Launcher.given(typed, "--fasterCopy")) {
      flink.setFasterCopy(true);
    }
  }

  /**
   * Says what a restart does, and asks the broker for the topics' partitions to size the Kafka
   * readers.
   */
  @Override
  public void prepare(CandleOptions options, List<String> typed, JobConfig config) {
    if (!config.streaming()) {
      return;
    }
    FlinkPipelineOptions flink = options.as(FlinkPipelineOptions.class);
    if (options.as(FlinkUiOptions.class).getFlinkUi() && FlinkRest.embedded(flink.getFlinkMaster())) {
      FlinkRest.embed(flink);
    }
    System.err.println("candlebeam: note: a FlinkRunner job started again begins at its source's "
        + "start (--startingOffsets), not at its last checkpoint: Beam 2.62's Flink source "
        + "initializes its splits afresh on a restore (apache/beam#31313, docs/runners.md)");
    if (!config.source().equals("kafka")) {
      return;
    }
    OptionalInt partitions = KafkaOffsets.partitionCount(config.kafka());
    if (partitions.isPresent()) {
      int given = Launcher.given(typed, "--parallelism") ? flink.getParallelism() : -1;
      flink.setParallelism(kafkaParallelism(given,
          Runtime.getRuntime().availableProcessors(), partitions.getAsInt()));
      if (given > 1 && given < partitions.getAsInt()) {
        System.err.println("candlebeam: note: --parallelism=" + given + " is below the "
            + partitions.getAsInt() + " Kafka partitions: Beam's Flink source reads far slower "
            + "so; --parallelism=" + partitions.getAsInt() + " gives each partition its reader");
      }
    }
  }

  /**
   * Where the job's web UI is: the REST API {@link #counted} found (an attached run has ended when
   * this is called).
   */
  @Override
  public void started(PipelineResult result, CandleOptions options, PrintStream out) {
    if (result instanceof CountedFlinkJob counted) {
      out.println("candlebeam: Flink web UI at " + counted.rest());
    } else if (result instanceof FlinkDetachedRunnerResult
        && options.as(FlinkUiOptions.class).getFlinkUi()) {
      out.println("candlebeam: Flink's web UI: not found at " + FlinkRest.PORTS
          + " (or the port the Flink configuration gives)");
    }
  }

  /** A detached job counted through Flink's REST API, when there is one to ask. */
  @Override
  public PipelineResult counted(PipelineResult result, CandleOptions options) {
    if (!(result instanceof FlinkDetachedRunnerResult)) {
      return result;
    }
    return FlinkRest.of(options.as(FlinkPipelineOptions.class),
        options.as(FlinkUiOptions.class).getFlinkUi(), options.getJobName())
        .<PipelineResult>map(uri -> new CountedFlinkJob(result,
            new FlinkRestMetrics(uri, options.getJobName())))
        .orElse(null);
  }

  /** The parallelism given, else enough readers for every partition and every core. */
  static int kafkaParallelism(int given, int cores, int partitions) {
    return given > 0 ? given : Math.max(cores, partitions);
  }
}
