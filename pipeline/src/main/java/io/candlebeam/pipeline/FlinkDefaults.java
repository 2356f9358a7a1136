package io.candlebeam.pipeline;

import java.util.List;
import java.util.OptionalInt;
import org.apache.beam.runners.flink.FlinkPipelineOptions;

/**
 * Flink streaming settings candlebeam fills in unless the command line gives them, each one found
 * by a measurement (README, "What limits Flink streaming").
 *
 * <ul>
 *   <li>A checkpoint every second: Flink's micro-batch boundary (sources commit Kafka offsets, a
 *       watched directory's files and its maxFilesPerTrigger on checkpoints; a restart resumes from
 *       one).
 *   <li>Bundles finished before each checkpoint. Without it, what a DoFn emits at a bundle's end
 *       during a checkpoint (the in-bundle partial candles) is buffered until the next element
 *       arrives: the last partials of an idle stream never reached a candle (722 of 1 M ticks).
 *   <li>{@code fasterCopy}: chained operators hand elements over without a serialize-deserialize
 *       copy (safe: no candlebeam DoFn mutates what it received or emitted, which the DirectRunner
 *       enforces in the tests). 42.7k to 60.3k ticks/s from Kafka.
 *   <li>For a Kafka source, at least one reader per partition: {@code --parallelism} = max(cores,
 *       partitions of the topics). With 3 partitions on 2 cores, parallelism 2 read 7.0k ticks/s,
 *       1 read 31.5k, 3 read 42.7k and 4 read 43.7k.
 * </ul>
 */
final class FlinkDefaults {
  private FlinkDefaults() {}

  static void streaming(FlinkPipelineOptions flink, List<String> args, JobConfig config) {
    if (!Launcher.given(args, "--checkpointingInterval")) {
      flink.setCheckpointingInterval(1000L);
    }
    if (!Launcher.given(args, "--finishBundleBeforeCheckpointing")) {
      flink.setFinishBundleBeforeCheckpointing(true);
    }
    if (!Launcher.given(args, "--attachedMode") && !Launcher.given(args, "--availableNow")) {
      flink.setAttachedMode(false);
    }
    if (!Launcher.given(args, "--fasterCopy")) {
      flink.setFasterCopy(true);
    }
    if (config.source().equals("kafka")) {
      OptionalInt partitions = KafkaOffsets.partitionCount(config.kafka());
      if (partitions.isPresent()) {
        int given = Launcher.given(args, "--parallelism") ? flink.getParallelism() : -1;
        flink.setParallelism(kafkaParallelism(given,
            Runtime.getRuntime().availableProcessors(), partitions.getAsInt()));
        if (given > 1 && given < partitions.getAsInt()) {
          System.err.println("candlebeam: note: --parallelism=" + given + " is below the "
              + partitions.getAsInt() + " Kafka partitions: Beam's Flink source read 6x slower so "
              + "(2 readers, 3 partitions); --parallelism=" + partitions.getAsInt()
              + " gives each partition its reader");
        }
      }
    }
  }

  /** The parallelism given, else enough readers for every partition and every core. */
  static int kafkaParallelism(int given, int cores, int partitions) {
    return given > 0 ? given : Math.max(cores, partitions);
  }
}
