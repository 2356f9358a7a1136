package io.candlebeam.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import io.candlebeam.pipeline.options.CandleOptions;
import io.candlebeam.pipeline.options.Durations;
import io.candlebeam.transforms.window.OutputMode;
import io.candlebeam.transforms.window.WindowSpec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.spark.SparkPipelineOptions;
import org.joda.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The command line's edge: defaults, typed values, and one-line errors with exit code 2. */
class LauncherTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "--windowSize=fortnight       | --windowSize=fortnight is not a duration",
      "--allowedLateness=-1h        | --allowedLateness=-1h is not a duration",
      "--outputMode=sometimes       | unknown output mode 'sometimes': use append, update or complete",
      "--sinks=console,printer      | --sinks: 'printer' is not a sink",
      "--source=carrier-pigeon      | --source=carrier-pigeon is not a source",
      "--input=/nonexistent/*.jsonl | --input=/nonexistent/*.jsonl matches no file",
      "--windowPeriod=2d            | window period PT172800S is longer than window size PT86400S",
      "--sessionGapFor=A=5m         | --sessionGapFor needs --sessionGap",
      "--colour=blue                | colour",
      "--kafkaExactlyOnce           | --kafkaExactlyOnce is for the Kafka sink: add kafka to --sinks=",
  })
  void badFlagsGiveOneLineAndExitCode2(String flag, String message) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Launcher.launch(new String[] {"--runner=DirectRunner", flag},
        new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true));
    String text = err.toString(StandardCharsets.UTF_8);
    assertThat(code, is(2));
    assertThat(text, containsString(message));
    assertThat("the error, then a pointer to --help", text.lines().count(), is(2L));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "--runner=FlinkRunner --maxRecordsPerBatch=100 | --maxRecordsPerBatch has no effect here (--runner=FlinkRunner, --source=files): it works with the SparkRunner",
      "--runner=DirectRunner --batchIntervalMillis=500 | --batchIntervalMillis has no effect here",
      "--runner=DirectRunner --sparkMaster=local[2] | --sparkMaster has no effect here",
      "--runner=SparkRunner --checkpointingInterval=1000 | --checkpointingInterval has no effect here",
      "--runner=SparkRunner --maxFilesPerTrigger=1 | --maxFilesPerTrigger has no effect here (--runner=SparkRunner, --source=files): it works with --source=directory",
      "--runner=SparkRunner --availableNow | --availableNow has no effect here",
      "--runner=SparkRunner --cleanSource=delete | --cleanSource has no effect here",
      "--runner=SparkRunner --idleTimeout=5m | --idleTimeout has no effect here (--runner=SparkRunner, --source=files): it works with --source=kafka",
      "--runner=SparkRunner --triggerInterval=2s | --triggerInterval has no effect with --outputMode=append",
  })
  void aFlagThatWouldDoNothingIsRefused(String flags, String message) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Launcher.launch(flags.split(" "), new PrintStream(new ByteArrayOutputStream()),
        new PrintStream(err, true));
    assertThat(code, is(2));
    assertThat(err.toString(StandardCharsets.UTF_8), containsString(message));
  }

  @Test
  void aSparkStreamingRestartWithOtherFlagsIsRefusedNamingTheFix(@TempDir Path dir) {
    String ckpt = "--checkpointDir=" + dir.resolve("ckpt");
    String[] first = {"--source=kafka", "--streaming", "--topics=ticks", ckpt,
        "--outputDir=" + dir.resolve("out"), "--reportIntervalSeconds=10"};
    Launcher.options(first); // a fresh start records its flags beside the checkpoint
    // The same flags in another order, and another report interval: a resume.
    Launcher.options(new String[] {ckpt, "--topics=ticks", "--streaming", "--source=kafka",
        "--outputDir=" + dir.resolve("out"), "--reportIntervalSeconds=1"});
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Launcher.launch(new String[] {"--source=kafka", "--streaming", "--topics=trades",
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
    assertThat(Launcher.launch(new String[] {"--help"}, new PrintStream(out, true),
        new PrintStream(new ByteArrayOutputStream())), is(0));
    String help = out.toString(StandardCharsets.UTF_8);
    assertThat(help, containsString("--runner=<Class>\n    Default: SparkRunner"));
    assertThat(help.contains("Default: DirectRunner"), is(false));
    assertThat(help, containsString("--idleTimeout=<String>\n    Default: 1m"));
    assertThat(help, containsString("--help=SparkPipelineOptions"));
  }

  @Test
  void theSameFlagsWhereTheyWorkAreAccepted() {
    Launcher.options(new String[] {"--runner=SparkRunner", "--maxRecordsPerBatch=100",
        "--batchIntervalMillis=500", "--outputMode=update", "--triggerInterval=2s"});
    Launcher.options(new String[] {"--runner=FlinkRunner", "--checkpointingInterval=1000"});
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
    int code = Launcher.launch(args.toArray(String[]::new),
        new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true));
    assertThat(code, is(2));
    assertThat(err.toString(StandardCharsets.UTF_8), containsString(message));
  }

  @Test
  void defaultsAreSparkLocalAllCoresAndTheBundledData() {
    CandleOptions options = Launcher.options(new String[0]);
    assertThat(options.getRunner().getSimpleName(), is("SparkRunner"));
    assertThat(options.as(SparkPipelineOptions.class).getSparkMaster(), is("local[*]"));
    assertThat(options.getInput(), containsString("candlebeam-test-data-"));
    JobConfig config = JobConfig.from(options);
    assertThat(config.windowing().windows(), is(WindowSpec.tumbling(Duration.standardDays(1))));
    assertThat(config.windowing().mode(), is(OutputMode.APPEND));
    assertThat(config.windowing().allowedLateness(), is(Duration.standardHours(1)));
    assertThat(config.sinks(), is(java.util.Set.of("console", "parquet", "json")));
    assertThat(config.outputDir(), is("out"));
  }

  @Test
  void flinkStreamingCheckpointsEverySecondFinishesBundlesFirstAndSkipsCopiesUnlessTold(
      @TempDir Path dir) {
    String[] flink = {"--runner=FlinkRunner", "--source=directory", "--input=" + dir};
    FlinkPipelineOptions defaults = Launcher.options(flink).as(FlinkPipelineOptions.class);
    assertThat(defaults.getCheckpointingInterval(), is(1000L));
    assertThat(defaults.getFinishBundleBeforeCheckpointing(), is(true));
    assertThat(defaults.getFasterCopy(), is(true));
    String[] told = {"--runner=FlinkRunner", "--source=directory", "--input=" + dir,
        "--checkpointingInterval=5000", "--finishBundleBeforeCheckpointing=false",
        "--fasterCopy=false"};
    FlinkPipelineOptions given = Launcher.options(told).as(FlinkPipelineOptions.class);
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
    assertThat(FlinkDefaults.kafkaParallelism(given, cores, partitions), is(expected));
  }

  @Test
  void windowFlagsBecomeTypedWindows() {
    JobConfig sliding = JobConfig.from(Launcher.options(new String[] {"--runner=DirectRunner",
        "--windowSize=15m", "--windowPeriod=5m", "--outputMode=UPDATE", "--triggerInterval=PT2S"}));
    assertThat(sliding.windowing().windows(),
        is(WindowSpec.sliding(Duration.standardMinutes(15), Duration.standardMinutes(5))));
    assertThat(sliding.windowing().mode(), is(OutputMode.UPDATE));
    assertThat(sliding.windowing().triggerInterval(), is(Duration.standardSeconds(2)));
    JobConfig sessions = JobConfig.from(Launcher.options(new String[] {"--runner=DirectRunner",
        "--sessionGap=10m", "--sessionGapFor=Spark=20m,BTC=1h"}));
    assertThat(sessions.windowing().windows(), is(WindowSpec.sessions(Duration.standardMinutes(10),
        Map.of("Spark", Duration.standardMinutes(20), "BTC", Duration.standardHours(1)))));
  }

  @ParameterizedTest
  @CsvSource({"1d,86400000", "2h,7200000", "15m,900000", "30s,30000", "500ms,500",
      "PT15M,900000", "P1D,86400000", "0s,0"})
  void durationsParseInShortAndIsoForms(String text, long millis) {
    assertThat(Durations.parse("x", text).getMillis(), is(millis));
  }
}
