package io.candlebeam.runners;

import io.candlebeam.pipeline.JobConfig;
import io.candlebeam.pipeline.KafkaOffsets;
import io.candlebeam.pipeline.Launcher;
import io.candlebeam.pipeline.options.CandleOptions;
import io.candlebeam.transforms.kafka.ReadFromKafka;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.beam.runners.spark.SparkPipelineOptions;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * Beam's classic SparkRunner, candlebeam's default and production runner.
 *
 * <ul>
 *   <li>{@code local[N]}, N = the machine's cores, unless {@code --sparkMaster} is given ({@code
 *       local[*]} is turned into the same): Beam 2.62 takes {@code local[*]} for a cluster, scans
 *       the class path and has Spark copy the whole application jar to its own executor, seconds
 *       of every run's start ({@link #localMaster}). Bound to 127.0.0.1 when local, with Spark's
 *       web UI on for streaming runs ({@code --sparkUi=false} turns it off).
 *   <li>Streaming: 1 s micro-batches, a checkpoint under the output folder unless {@code
 *       --checkpointDir} is given (an existing one is resumed, and a restart with other flags is
 *       refused: {@link CheckpointFlags}).
 *   <li>On a cluster, one Kafka reader ({@code --kafkaReaders=1} unless given): the runner combines
 *       readers' watermarks with a max (apache/beam#19411), which one reader avoids. Local, as
 *       many readers as leave a task slot free for processing ({@link #localReaders}).
 *   <li>Tick files read as a bounded source, a line at a time: the runner keeps all of one DoFn
 *       call's output in memory, which for a DoFn reading a file is the whole file.
 *   <li>No exactly-once Kafka sink: the runner has no {@code @RequiresStableInput}.
 *   <li>Streaming: each micro-batch's read cached {@code MEMORY_AND_DISK}, so Spark never reads it
 *       from Kafka again when memory is short ({@link SparkSourceReads}).
 *   <li>Streaming: after a crash Spark reads the micro-batches since its last state checkpoint
 *       again; the Kafka source logs where each read ended in the checkpoint folder ({@value
 *       #KAFKA_READS}) and a second reading takes no more, so no record reaches the state without
 *       the outputs of its batch (docs/kafka.md, KafkaRecoveryIT). Not with a checkpoint folder on
 *       another file system (hdfs://, s3://): the log is a local or mounted folder.
 *   <li>A streaming run never ends by itself: an {@code --availableNow} run is stopped by the
 *       launcher once everything was read.
 * </ul>
 */
final class SparkAdapter extends NamedAdapter {
  static final String NAME = "SparkRunner";
  /** The Kafka source's read log, in the checkpoint folder. */
  static final String KAFKA_READS = "kafka-reads";

  private static final Map<String, String> OWN = Map.of(
      "--maxRecordsPerBatch", "the SparkRunner (its micro-batch rate limit)",
      "--batchIntervalMillis", "the SparkRunner (its micro-batch interval; 1000 when streaming)",
      "--minReadTimeMillis", "the SparkRunner",
      "--readTimePercentage", "the SparkRunner (its share of each micro-batch spent reading; 0.5 "
          + "when streaming)",
      "--checkpointDurationMillis", "the SparkRunner",
      "--sparkMaster", "the SparkRunner (local[<cores>] unless given)",
      "--storageLevel", "the SparkRunner",
      "--sparkUi", "the SparkRunner (true: the web UI of a local streaming run)");

  static {
    PipelineOptionsFactory.register(SparkUiOptions.class);
  }

  SparkAdapter() {
    super(NAME, "SparkPipelineOptions", OWN);
  }

  @Override
  public void configure(CandleOptions options, List<String> typed, JobConfig config) {
    if (config.kafka().exactlyOnce()) {
      throw new IllegalArgumentException("--kafkaExactlyOnce needs --runner=FlinkRunner: Beam's "
          + "SparkRunner cannot run KafkaIO's exactly-once sink (no @RequiresStableInput); without "
          + "the flag the Kafka sink is at least once, keyed, with pane indices");
    }
    SparkPipelineOptions spark = options.as(SparkPipelineOptions.class);
    spark.setSparkMaster(localMaster(Launcher.given(typed, "--sparkMaster")
        ? spark.getSparkMaster() : "local[*]", Runtime.getRuntime().availableProcessors()));
    if (config.streaming() && !Launcher.given(typed, "--batchIntervalMillis")) {
      spark.setBatchIntervalMillis(1000L); // 500 ms did not keep up on 2 cores
    }
    if (config.streaming()) {
      // the runner evaluates processing-time triggers once per micro-batch (Windowing)
      options.setTriggerCheckMillis(spark.getBatchIntervalMillis());
    }
    if (config.streaming() && !Launcher.given(typed, "--readTimePercentage")) {
      // each micro-batch reads for max(interval x this, --minReadTimeMillis), then processes what
      // it read: at Beam's 0.1 (200 ms a batch) the read capped the intake below 25,000 ticks/s on
      // 2 cores (docs/benchmarks.md, session 11)
      spark.setReadTimePercentage(0.5);
    }
    if (config.streaming() && !Launcher.given(typed, "--checkpointDir")) {
      spark.setCheckpointDir(Path.of(config.outputDir(), "checkpoint").toAbsolutePath().toString());
    }
    if (config.streaming() && isLocal(spark.getCheckpointDir())) {
      // a crash makes Spark read the micro-batches since its last state checkpoint again: each
      // Kafka read ends where it did the first time (docs/kafka.md). The log is written with
      // java.nio: a checkpoint on hdfs:// or s3:// gets none
      options.setKafkaReadLog(checkpointDir(spark).resolve(KAFKA_READS).toString());
      long logged = ReadFromKafka.READS_LOGGED * spark.getBatchIntervalMillis();
      if (config.source().equals("kafka") && spark.getCheckpointDurationMillis() > logged) {
        throw new IllegalArgumentException("--checkpointDurationMillis="
            + spark.getCheckpointDurationMillis() + " is longer than the Kafka read log keeps ("
            + ReadFromKafka.READS_LOGGED + " micro-batches of --batchIntervalMillis="
            + spark.getBatchIntervalMillis() + "): at most " + logged + ", or longer batches; "
            + "after a crash Spark reads again the micro-batches since its last state checkpoint, "
            + "and those the log no longer bounds could take other records (docs/kafka.md)");
      }
    }
    // Spark keeps all of one DoFn call's output in memory: a DoFn reading a whole file would hold
    // its lines (ReadLinesFromFiles.asSource)
    options.setFilesAsSource(true);
    if (!local(spark) && !Launcher.given(typed, "--kafkaReaders")) {
      options.setKafkaReaders(1); // the runner's watermark is a max over readers (JVMs)
    }
  }

  @Override
  public void prepare(CandleOptions options, List<String> typed, JobConfig config) {
    SparkPipelineOptions spark = options.as(SparkPipelineOptions.class);
    if (options.getParallelism() > 0) {
      System.setProperty("spark.default.parallelism", Integer.toString(options.getParallelism()));
    }
    if (local(spark)) {
      setIfAbsent("spark.driver.host", "127.0.0.1");
      setIfAbsent("spark.driver.bindAddress", "127.0.0.1");
      boolean ui = config.streaming() && options.as(SparkUiOptions.class).getSparkUi();
      setIfAbsent("spark.ui.enabled", Boolean.toString(ui));
    }
    if (config.streaming()) {
      CheckpointFlags.verifyOrRecord(checkpointDir(spark), typed);
    }
    if (config.streaming() && local(spark) && config.source().equals("kafka")
        && !Launcher.given(typed, "--kafkaReaders")) {
      OptionalInt partitions = KafkaOffsets.partitionCount(config.kafka());
      if (partitions.isPresent()) {
        int readers = localReaders(slots(spark.getSparkMaster()), partitions.getAsInt());
        options.setKafkaReaders(readers);
        if (readers < partitions.getAsInt()) {
          System.err.println("candlebeam: note: " + readers + " Kafka reader(s) for "
              + partitions.getAsInt() + " partitions on " + spark.getSparkMaster() + ", leaving a "
              + "task slot for processing (docs/kafka.md); --kafkaReaders=N to choose");
        }
      }
    }
  }

  /**
   * Kafka readers for a local streaming run: the most that divide the partitions evenly (KafkaIO
   * gives every reader the same number of partitions, rounding the count up until they do) and
   * leave a task slot free, at least 1. Beam's Spark source reads each micro-batch inside Spark's
   * job generator, a task per reader, each for the read window (half the interval): readers that
   * outnumber the slots read one after another, so the reading alone took longer than the
   * interval, and batches fell further behind even with no data (3 readers on 2 slots: 1.2 s a
   * batch). The free slot processes the batch before while the next one is read (docs/kafka.md).
   */
  static int localReaders(int slots, int partitions) {
    for (int readers = Math.min(partitions, slots - 1); readers > 1; readers--) {
      if (partitions % readers == 0) {
        return readers;
      }
    }
    return 1;
  }

  /** Task slots of a local master: N of {@code local[N]} and {@code local[N,F]}, else 1. */
  static int slots(String master) {
    String n = master.replaceFirst("^local\\[(\\d+)(,\\d+)?]$", "$1");
    return n.equals(master) ? 1 : Integer.parseInt(n);
  }

  /** Whether Spark has written anything into the checkpoint folder (our own files aside). */
  @Override
  public boolean resumesFromCheckpoint(CandleOptions options) {
    if (!options.isStreaming()) {
      return false;
    }
    try (Stream<Path> s = Files.list(checkpointDir(options.as(SparkPipelineOptions.class)))) {
      Set<String> ours = Set.of(CheckpointFlags.FILE, KAFKA_READS);
      return s.anyMatch(f -> !ours.contains(f.getFileName().toString()));
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * Keeps each micro-batch's read on disk when memory is short ({@link SparkSourceReads}), and
   * prints where Spark's web UI is, when it is on.
   */
  @Override
  public void started(PipelineResult result, CandleOptions options, PrintStream out) {
    SparkSourceReads.spillToDiskOnceStarted(out);
    scala.Option<org.apache.spark.SparkContext> active = org.apache.spark.SparkContext$.MODULE$.getActive();
    if (active.isDefined() && active.get().uiWebUrl().isDefined()) {
      out.println("candlebeam: Spark UI at " + active.get().uiWebUrl().get());
    }
  }

  @Override
  public boolean endsAvailableNowRun() {
    return false; // Spark streaming runs until stopped
  }

  /**
   * {@code local[*]} as {@code local[cores]}, anything else as given. Beam 2.62's SparkRunner
   * treats a master that is not {@code local} or {@code local[digits]} as a cluster: it scans the
   * class path for files to stage and hands them to Spark, whose local executor then fetches its
   * own application jar (hundreds of MB) through the driver's file server before the first task.
   */
  static String localMaster(String master, int cores) {
    return master.equals("local[*]") ? "local[" + cores + "]" : master;
  }

  private static boolean local(SparkPipelineOptions spark) {
    return spark.getSparkMaster().startsWith("local");
  }

  /** Whether {@code dir} is a path of this machine's file system (no scheme, or file:). */
  static boolean isLocal(String dir) {
    return dir.startsWith("file:") || !dir.matches("^[A-Za-z][A-Za-z0-9+.-]*://.*");
  }

  private static Path checkpointDir(SparkPipelineOptions spark) {
    return Path.of(spark.getCheckpointDir().replaceFirst("^file:", ""));
  }

  private static void setIfAbsent(String property, String value) {
    if (System.getProperty(property) == null) {
      System.setProperty(property, value);
    }
  }
}
