package io.candlebeam.runners;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import io.candlebeam.pipeline.JobConfig;
import io.candlebeam.pipeline.options.CandleOptions;
import io.candlebeam.transforms.kafka.ReadFromKafka;
import io.candlebeam.transforms.window.OutputMode;
import io.candlebeam.transforms.window.WindowSpec;
import io.candlebeam.transforms.window.Windowing;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.spark.SparkCommonPipelineOptions;
import org.apache.beam.runners.spark.SparkPipelineOptions;
import org.joda.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The jar's command line with its runner adapters: each runner's defaults, the flags refused where
 * they would do nothing, the Spark checkpoint's flag record, the help text.
 */
class RunnerAdaptersTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      # flags                                            | the message says
      --runner=FlinkRunner --maxRecordsPerBatch=100 | --maxRecordsPerBatch has no effect here (--runner=FlinkRunner, --source=files): it works with the SparkRunner
      --runner=DirectRunner --batchIntervalMillis=500 | --batchIntervalMillis has no effect here
      --runner=DirectRunner --sparkMaster=local[2] | --sparkMaster has no effect here
      --runner=FlinkRunner --sparkUi=false | --sparkUi has no effect here
      --runner=SparkRunner --flinkUi=false | --flinkUi has no effect here
      --runner=SparkRunner --checkpointingInterval=1000 | --checkpointingInterval has no effect here
      --runner=SparkRunner --maxFilesPerTrigger=1 | --maxFilesPerTrigger has no effect here (--runner=SparkRunner, --source=files): it works with --source=directory
      --runner=SparkRunner --availableNow | --availableNow has no effect here
      --runner=SparkRunner --cleanSource=delete | --cleanSource has no effect here
      --runner=SparkRunner --idleTimeout=5m | --idleTimeout has no effect here (--runner=SparkRunner, --source=files): it works with --source=kafka
      --runner=SparkRunner --triggerInterval=2s | --triggerInterval has no effect with --outputMode=append
      """)
  void aFlagThatWouldDoNothingIsRefused(String flags, String message) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.launcher().launch(flags.split(" "), new PrintStream(new ByteArrayOutputStream()),
        new PrintStream(err, true));
    assertThat(code, is(2));
    assertThat(err.toString(StandardCharsets.UTF_8), containsString(message));
  }

  @Test
  void aSparkStreamingRestartWithOtherFlagsIsRefusedNamingTheFix(@TempDir Path dir) {
    String ckpt = "--checkpointDir=" + dir.resolve("ckpt");
    String[] first = {"--source=kafka", "--streaming", "--topics=ticks", ckpt,
        "--outputDir=" + dir.resolve("out"), "--reportIntervalSeconds=10"};
    Main.launcher().ready(first); // a fresh start records its flags beside the checkpoint
    // The same flags in another order, and another report interval: a resume.
    Main.launcher().ready(new String[] {ckpt, "--topics=ticks", "--streaming", "--source=kafka",
        "--outputDir=" + dir.resolve("out"), "--reportIntervalSeconds=1"});
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Main.launcher().launch(new String[] {"--source=kafka", "--streaming", "--topics=trades",
        ckpt, "--outputDir=" + dir.resolve("out")}, new PrintStream(new ByteArrayOutputStream()),
        new PrintStream(err, true));
    String text = err.toString(StandardCharsets.UTF_8);
    assertThat(code, is(2));
    assertThat(text, containsString("holds a job started with other flags (now also "
        + "[--topics=trades], no longer [--topics=ticks])"));
    assertThat(text, containsString("give a new --checkpointDir"));
  }

  @Test
  void helpShowsTheLaunchersRunnerDefault() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    assertThat(Main.launcher().launch(new String[] {"--help"}, new PrintStream(out, true),
        new PrintStream(new ByteArrayOutputStream())), is(0));
    String help = out.toString(StandardCharsets.UTF_8);
    assertThat(help, containsString("--runner=<Class>\n    Default: SparkRunner"));
    assertThat(help.contains("Default: DirectRunner"), is(false));
    assertThat(help, containsString("--idleTimeout=<String>\n    Default: 1m"));
    assertThat(help, containsString("--help=SparkPipelineOptions"));
    // Each runner's own flags, with the launcher's defaults where it sets one.
    assertThat(help, containsString("--batchIntervalMillis\n    works with the SparkRunner (its "
        + "micro-batch interval; 1000 when streaming)"));
    assertThat(help, containsString("--checkpointingInterval\n    works with the FlinkRunner"));
    assertThat(help, containsString("--sparkUi\n    works with the SparkRunner"));
    assertThat(help, containsString("--flinkUi\n    works with the FlinkRunner"));
  }

  @Test
  void theSameFlagsWhereTheyWorkAreAccepted() {
    Main.launcher().parse(new String[] {"--runner=SparkRunner", "--maxRecordsPerBatch=100",
        "--batchIntervalMillis=500", "--outputMode=update", "--triggerInterval=2s"});
    Main.launcher().parse(new String[] {"--runner=FlinkRunner", "--checkpointingInterval=1000",
        "--flinkUi=false"});
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "--runner=SparkRunner | --kafkaExactlyOnce needs --runner=FlinkRunner",
      "--runner=FlinkRunner --checkpointingInterval=-1 | commits at Flink checkpoints",
  })
  void theExactlyOnceKafkaSinkIsRefusedWhereItCannotRun(String runner, String message) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    List<String> args = new ArrayList<>(List.of(runner.split(" ")));
    args.addAll(List.of("--sinks=kafka", "--kafkaExactlyOnce"));
    int code = Main.launcher().launch(args.toArray(String[]::new),
        new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true));
    assertThat(code, is(2));
    assertThat(err.toString(StandardCharsets.UTF_8), containsString(message));
  }

  @Test
  void defaultsAreSparkLocalAllCoresAndTheBundledData() {
    CandleOptions options = Main.launcher().ready().options();
    assertThat(options.getRunner().getSimpleName(), is("SparkRunner"));
    // local[*] spelled with the core count: Beam takes only local and local[digits] for local
    assertThat(options.as(SparkPipelineOptions.class).getSparkMaster(),
        is("local[" + Runtime.getRuntime().availableProcessors() + "]"));
    assertThat(options.getInput(), containsString("candlebeam-test-data-"));
    JobConfig config = JobConfig.from(options);
    assertThat(config.windowing().windows(), is(WindowSpec.tumbling(Duration.standardDays(1))));
    assertThat(config.windowing().mode(), is(OutputMode.APPEND));
    assertThat(config.windowing().allowedLateness(), is(Duration.standardHours(1)));
    assertThat(config.sinks(), is(java.util.Set.of("console", "parquet", "json")));
    assertThat(config.outputDir(), is("out"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "                          | true",
      "--sparkMaster=local[*]    | true",
      "--sparkMaster=local[1]    | true",
      "--sparkMaster=spark://h:7077 | false",
  })
  void aLocalMasterIsOneBeamTakesForLocal(String flag, boolean local) {
    List<String> args = new ArrayList<>(List.of("--runner=SparkRunner"));
    if (flag != null) {
      args.add(flag.trim());
    }
    SparkPipelineOptions spark = Main.launcher().ready(args.toArray(String[]::new)).options()
        .as(SparkPipelineOptions.class);
    // Beam's own step: for a master it does not take for local it scans the class path for jars
    // to stage, which Spark then copies to its executors (a local one too)
    SparkCommonPipelineOptions.prepareFilesToStage(spark);
    assertThat(spark.getSparkMaster(), spark.getFilesToStage() == null, is(local));
  }

  @ParameterizedTest(name = "{0} slots, {1} partitions: {2} readers")
  @CsvSource({"2, 3, 1", "2, 2, 1", "2, 1, 1", "1, 3, 1", "4, 3, 3", "4, 4, 2", "3, 4, 2",
      "4, 6, 3", "8, 12, 6", "16, 3, 3", "8, 7, 7", "4, 7, 1"})
  void localKafkaReadersDivideThePartitionsAndLeaveASlotFree(int slots, int partitions,
      int readers) {
    assertThat(SparkAdapter.localReaders(slots, partitions), is(readers));
  }

  @Test
  void slotsOfALocalMaster() {
    assertThat(SparkAdapter.slots("local[4]"), is(4));
    assertThat(SparkAdapter.slots("local[4,2]"), is(4));
    assertThat(SparkAdapter.slots("local"), is(1));
    assertThat(SparkAdapter.slots("local[*,3]"), is(1));
  }

  @Test
  void localMasterSpellsOutTheCoresAndKeepsEverythingElse() {
    assertThat(SparkAdapter.localMaster("local[*]", 6), is("local[6]"));
    assertThat(SparkAdapter.localMaster("local[2]", 6), is("local[2]"));
    assertThat(SparkAdapter.localMaster("local[*,3]", 6), is("local[*,3]"));
    assertThat(SparkAdapter.localMaster("spark://h:7077", 6), is("spark://h:7077"));
  }

  @Test
  void sparkStreamingReadsHalfOfEachOneSecondBatchUnlessTold(@TempDir Path dir) {
    String[] streaming = {"--runner=SparkRunner", "--source=directory", "--input=" + dir,
        "--outputDir=" + dir.resolve("defaults")};
    SparkPipelineOptions defaults =
        Main.launcher().ready(streaming).options().as(SparkPipelineOptions.class);
    assertThat(defaults.getBatchIntervalMillis(), is(1000L));
    assertThat(defaults.getReadTimePercentage(), is(0.5));
    String[] told = {"--runner=SparkRunner", "--source=directory", "--input=" + dir,
        "--outputDir=" + dir.resolve("told"), "--readTimePercentage=0.1",
        "--batchIntervalMillis=500"};
    SparkPipelineOptions given =
        Main.launcher().ready(told).options().as(SparkPipelineOptions.class);
    assertThat(given.getBatchIntervalMillis(), is(500L));
    assertThat(given.getReadTimePercentage(), is(0.1));
    SparkPipelineOptions batch = Main.launcher().ready().options().as(SparkPipelineOptions.class);
    assertThat(batch.getReadTimePercentage(), is(0.1)); // Beam's, unused without a stream
  }

  @Test
  void sparkStreamingTimesEarlyPanesByItsMicroBatches(@TempDir Path dir) {
    String[] streaming = {"--runner=SparkRunner", "--source=directory", "--input=" + dir,
        "--outputDir=" + dir.resolve("defaults"), "--outputMode=update", "--triggerInterval=5s"};
    Windowing defaults = Main.launcher().ready(streaming).config().windowing();
    assertThat(defaults.triggerCheck(), is(Duration.standardSeconds(1)));
    assertThat(defaults.earlyFiringDelay(), is(Duration.millis(3_500)));
    String[] told = {"--runner=SparkRunner", "--source=directory", "--input=" + dir,
        "--outputDir=" + dir.resolve("told"), "--outputMode=update", "--triggerInterval=1s",
        "--batchIntervalMillis=500"};
    assertThat(Main.launcher().ready(told).config().windowing().triggerCheck(),
        is(Duration.millis(500)));
    // Timers that fire when due: the interval as given
    String[] flink = {"--runner=FlinkRunner", "--source=directory", "--input=" + dir,
        "--outputMode=update", "--triggerInterval=5s"};
    Windowing onFlink = Main.launcher().ready(flink).config().windowing();
    assertThat(onFlink.triggerCheck(), is(Duration.ZERO));
    assertThat(onFlink.earlyFiringDelay(), is(Duration.standardSeconds(5)));
    assertThat(Main.launcher().ready().config().windowing().triggerCheck(), is(Duration.ZERO));
  }

  @Test
  void sparkStreamingLogsKafkaReadsInItsCheckpointFolder(@TempDir Path dir) throws Exception {
    String[] streaming = {"--runner=SparkRunner", "--source=directory", "--input=" + dir,
        "--outputDir=" + dir.resolve("out")};
    assertThat(Main.launcher().ready(streaming).config().kafka().readLog(),
        is(dir.resolve("out/checkpoint/kafka-reads").toAbsolutePath().toString()));
    String[] told = {"--runner=SparkRunner", "--source=directory", "--input=" + dir,
        "--outputDir=" + dir.resolve("out"), "--checkpointDir=" + dir.resolve("cp")};
    assertThat(Main.launcher().ready(told).config().kafka().readLog(),
        is(dir.resolve("cp/kafka-reads").toString()));
    // The log alone (with the flags file) is not a checkpoint Spark could resume from
    Files.createDirectories(dir.resolve("cp/kafka-reads/t-0"));
    assertThat(new SparkAdapter().resumesFromCheckpoint(Main.launcher().ready(told).options()),
        is(false));
    // The log is written with java.nio: none for a checkpoint on another file system
    assertThat(SparkAdapter.isLocal("/var/cp"), is(true));
    assertThat(SparkAdapter.isLocal("file:///var/cp"), is(true));
    assertThat(SparkAdapter.isLocal("cp"), is(true));
    assertThat(SparkAdapter.isLocal("hdfs://namenode:8020/cp"), is(false));
    assertThat(SparkAdapter.isLocal("s3a://bucket/cp"), is(false));
    // Spark's state checkpoints further apart than the log reaches back: refused, with the most
    String[] sparse = {"--runner=SparkRunner", "--source=kafka", "--outputDir=" + dir.resolve("o"),
        "--checkpointDurationMillis=" + (ReadFromKafka.READS_LOGGED * 1000L + 1)};
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    assertThat(Main.launcher().launch(sparse, new PrintStream(new ByteArrayOutputStream()),
        new PrintStream(err, true)), is(2));
    assertThat(err.toString(StandardCharsets.UTF_8), containsString("--checkpointDurationMillis="
        + (ReadFromKafka.READS_LOGGED * 1000L + 1) + " is longer than the Kafka read log keeps"));
    sparse[3] = "--checkpointDurationMillis=" + ReadFromKafka.READS_LOGGED * 1000L;
    // (parse, not ready: ready would ask the absent broker for the partition count)
    assertThat(Main.launcher().parse(sparse).config().kafka().readLog(), is(notNullValue()));
    // Runners that restore reads from their own snapshots keep no log; nor does a batch run
    String[] flink = {"--runner=FlinkRunner", "--source=directory", "--input=" + dir};
    assertThat(Main.launcher().ready(flink).config().kafka().readLog(), is(nullValue()));
    assertThat(Main.launcher().ready().config().kafka().readLog(), is(nullValue()));
  }

  @Test
  void flinkStreamingCheckpointsEverySecondFinishesBundlesFirstAndSkipsCopiesUnlessTold(
      @TempDir Path dir) {
    String[] flink = {"--runner=FlinkRunner", "--source=directory", "--input=" + dir};
    FlinkPipelineOptions defaults = Main.launcher().ready(flink).options().as(FlinkPipelineOptions.class);
    assertThat(defaults.getCheckpointingInterval(), is(1000L));
    assertThat(defaults.getFinishBundleBeforeCheckpointing(), is(true));
    assertThat(defaults.getFasterCopy(), is(true));
    String[] told = {"--runner=FlinkRunner", "--source=directory", "--input=" + dir,
        "--checkpointingInterval=5000", "--finishBundleBeforeCheckpointing=false",
        "--fasterCopy=false"};
    FlinkPipelineOptions given = Main.launcher().ready(told).options().as(FlinkPipelineOptions.class);
    assertThat(given.getCheckpointingInterval(), is(5000L));
    assertThat(given.getFinishBundleBeforeCheckpointing(), is(false));
    assertThat(given.getFasterCopy(), is(false));
  }

  @ParameterizedTest(name = "given {0}, {1} cores, {2} partitions: {3}")
  @CsvSource({
      "-1, 2, 3, 3", // a reader per partition
      "-1, 8, 3, 8", // and every core busy downstream
      "-1, 2, 1, 2",
      " 2, 2, 3, 2", // what the command line says stands (with a note)
      " 6, 2, 3, 6",
  })
  void flinkKafkaParallelismCoversEveryPartitionUnlessGiven(
      int given, int cores, int partitions, int expected) {
    assertThat(FlinkAdapter.kafkaParallelism(given, cores, partitions), is(expected));
  }
}
