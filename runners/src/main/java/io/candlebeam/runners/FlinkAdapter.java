package io.candlebeam.runners;

import io.candlebeam.pipeline.JobConfig;
import io.candlebeam.pipeline.KafkaOffsets;
import io.candlebeam.pipeline.Launcher;
import io.candlebeam.pipeline.options.CandleOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.apache.beam.runners.flink.FlinkDetachedRunnerResult;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.spark.SparkPipelineOptions;
import org.apache.beam.sdk.PipelineResult;

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
 *   <li>Resumable: checkpoints are kept in {@code --checkpointDir} (default {@code
 *       <outputDir>/checkpoint}, as on Spark; Flink's files under {@code flink/}), retained when
 *       the job stops or dies, and a restart restores the latest one ({@link FlinkCheckpoints}):
 *       Kafka offsets, windows and running totals, de-duplication state. The job's flags are kept
 *       beside them; a restart with other flags is refused ({@link CheckpointFlags}).
 * </ul>
 */
final class FlinkAdapter extends NamedAdapter {
  static final String NAME = "FlinkRunner";

  private static final Map<String, String> OWN = Map.of(
      "--flinkMaster", "the FlinkRunner",
      "--checkpointingInterval", "the FlinkRunner (1000 when streaming; the SparkRunner "
          + "checkpoints every micro-batch into --checkpointDir)",
      "--fasterCopy", "the FlinkRunner (true when streaming)");

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
    SparkPipelineOptions checkpoint = options.as(SparkPipelineOptions.class);
    if (!Launcher.given(typed, "--checkpointDir")) {
      checkpoint.setCheckpointDir(
          Path.of(config.outputDir(), "checkpoint").toAbsolutePath().toString());
    }
    Path dir = checkpointDir(options);
    flink.setStateBackend("filesystem");
    flink.setStateBackendStoragePath(dir.resolve(FlinkCheckpoints.FOLDER).toUri().toString());
    flink.setExternalizedCheckpointsEnabled(true);
    flink.setRetainExternalizedCheckpointsOnCancellation(true);
  }

  /**
   * The checkpoint folder: {@code --checkpointDir} (one flag for both runners; the option is
   * declared by Beam's Spark options, which are on the jar's class path).
   */
  private static Path checkpointDir(CandleOptions options) {
    return Path.of(options.as(SparkPipelineOptions.class).getCheckpointDir()
        .replaceFirst("^file:", "")).toAbsolutePath();
  }

  /** Whether a streaming run will restore a retained checkpoint. */
  @Override
  public boolean resumesFromCheckpoint(CandleOptions options) {
    return options.isStreaming()
        && FlinkCheckpoints.latest(checkpointDir(options).resolve(FlinkCheckpoints.FOLDER))
            .isPresent();
  }

  /**
   * Checks the flags against the checkpoint's, points Flink at the latest retained checkpoint to
   * restore, and asks the broker for the topics' partitions to size the Kafka readers.
   */
  @Override
  public void prepare(CandleOptions options, List<String> typed, JobConfig config) {
    if (!config.streaming()) {
      return;
    }
    Path dir = checkpointDir(options);
    CheckpointFlags.verifyOrRecord(dir, typed);
    FlinkPipelineOptions flinkOptions = options.as(FlinkPipelineOptions.class);
    FlinkCheckpoints.latest(dir.resolve(FlinkCheckpoints.FOLDER)).ifPresent(latest -> {
      if (Launcher.given(typed, "--flinkConfDir")) {
        System.err.println("candlebeam: note: --flinkConfDir is given, so the retained checkpoint "
            + latest + " is not restored automatically (set execution.savepoint.path there)");
        return;
      }
      // Embedded Flink reads the restore path from its configuration, a cluster from Beam's flag.
      flinkOptions.setFlinkConfDir(FlinkCheckpoints.restoreConfig(dir, latest).toString());
      flinkOptions.setSavepointPath(latest.toUri().toString());
      System.err.println("candlebeam: resuming from Flink checkpoint " + latest);
    });
    if (!config.source().equals("kafka")) {
      return;
    }
    FlinkPipelineOptions flink = options.as(FlinkPipelineOptions.class);
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

  @Override
  public boolean reportsCounts(PipelineResult result) {
    return !(result instanceof FlinkDetachedRunnerResult);
  }

  /** The parallelism given, else enough readers for every partition and every core. */
  static int kafkaParallelism(int given, int cores, int partitions) {
    return given > 0 ? given : Math.max(cores, partitions);
  }
}
