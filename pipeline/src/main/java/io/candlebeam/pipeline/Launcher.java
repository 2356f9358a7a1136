package io.candlebeam.pipeline;

import io.candlebeam.pipeline.options.CandleOptions;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.spark.SparkPipelineOptions;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * The command line's edge: flags in, typed options out, defaults filled in, errors turned into one
 * line and an exit code (2: bad flags, 1: the run failed).
 *
 * <p>Defaults: {@code --runner=SparkRunner} with {@code local[*]}; {@code --source=files} with
 * the bundled test data; {@code --sinks=console,parquet,json} under {@code --outputDir=out}.
 */
public final class Launcher {
  private Launcher() {}

  public static int launch(String[] args, PrintStream out, PrintStream err) {
    if (Arrays.asList(args).contains("--help")) {
      printHelp(out);
      return 0;
    }
    CandleOptions options;
    try {
      options = options(args);
    } catch (IllegalArgumentException e) {
      err.println("candlebeam: " + firstLine(e.getMessage()));
      err.println("candlebeam: see --help for every flag");
      return 2;
    }
    try {
      RunReport report = CandlePipeline.run(options);
      if (!options.isStreaming()) {
        CandlePipeline.print(report, out); // a streaming run printed its final counts on stop
      }
      return 0;
    } catch (IllegalArgumentException e) {
      err.println("candlebeam: " + firstLine(e.getMessage()));
      return 2;
    } catch (IOException | RuntimeException e) {
      err.println("candlebeam: the run failed: " + rootMessage(e));
      e.printStackTrace(err);
      return 1;
    }
  }

  /**
   * Beam's help for candlebeam's options, with the launcher's own default for {@code --runner}
   * (Beam's text says DirectRunner), and where the runner flags are described.
   */
  static void printHelp(PrintStream out) {
    java.io.ByteArrayOutputStream beam = new java.io.ByteArrayOutputStream();
    PipelineOptionsFactory.printHelp(new PrintStream(beam, true, java.nio.charset.StandardCharsets.UTF_8),
        CandleOptions.class);
    out.print(beam.toString(java.nio.charset.StandardCharsets.UTF_8).replace(
        "--runner=<Class>\n    Default: DirectRunner",
        "--runner=<Class>\n    Default: SparkRunner (local[*]; candlebeam's launcher)"));
    out.println("Runner flags (--sparkMaster, --batchIntervalMillis, --maxRecordsPerBatch, "
        + "--checkpointDir, --flinkMaster, --checkpointingInterval, ...): "
        + "--help=SparkPipelineOptions or --help=FlinkPipelineOptions lists Beam's, with Beam's "
        + "defaults; the launcher's own streaming defaults are in the README.");
    out.flush();
  }

  /** Parses and validates the flags, filling in candlebeam's defaults. */
  public static CandleOptions options(String[] args) {
    PipelineOptionsFactory.register(CandleOptions.class);
    List<String> all = new ArrayList<>(Arrays.asList(args));
    if (!given(all, "--runner")) {
      all.add(0, "--runner=SparkRunner");
    }
    CandleOptions options =
        PipelineOptionsFactory.fromArgs(all.toArray(String[]::new)).withValidation()
            .as(CandleOptions.class);
    JobConfig config = JobConfig.from(options); // validates every flag of ours
    requireExactlyOnceRunner(options, config, all);
    IneffectiveFlags.refuse(all, options.getRunner().getSimpleName(), config);
    if (config.sinks().contains("jdbc")) {
      try {
        if (config.job().equals("candles")) {
          config.jdbc().createTable(); // fails fast on credentials, a missing database...
        } else {
          io.candlebeam.transforms.jdbc.UpsertJsonRows.createTable(config.jdbc());
        }
      } catch (java.sql.SQLException e) {
        throw new IllegalArgumentException("cannot use PostgreSQL at " + config.jdbc().url()
            + " as " + config.jdbc().user() + ": " + e.getMessage()
            + " (check --jdbcUrl, --jdbcUser and the password in PGPASSWORD or --jdbcPasswordFile)");
      }
    }
    if (config.source().equals("files")) {
      if (options.getInput() == null && !config.job().equals("candles")) {
        throw new IllegalArgumentException("--input is required for --job=" + config.job()
            + ": the bundled data is ticks");
      }
      if (options.getInput() == null) {
        options.setInput(BundledTestData.extract());
      } else {
        requireMatches(options);
      }
    }
    if (config.streaming()) {
      options.setStreaming(true);
    }
    if (config.source().equals("socket")) {
      requireListening(config.host(), config.port());
    }
    if (config.source().equals("directory")
        && (options.getInput() == null || !java.nio.file.Files.isDirectory(Path.of(options.getInput())))) {
      throw new IllegalArgumentException("--source=directory needs --input=<a directory to watch>");
    }
    if (options.getRunner().getSimpleName().equals("SparkRunner")) {
      SparkPipelineOptions spark = options.as(SparkPipelineOptions.class);
      if (!given(all, "--sparkMaster")) {
        spark.setSparkMaster("local[*]");
      }
      if (config.streaming()) {
        streamingDefaults(spark, all, config);
      }
      if (options.getParallelism() > 0) {
        System.setProperty("spark.default.parallelism", Integer.toString(options.getParallelism()));
      }
      if (!spark.getSparkMaster().startsWith("local") && !given(all, "--kafkaReaders")) {
        options.setKafkaReaders(1); // the runner's watermark is a max over readers (JVMs)
      }
      if (spark.getSparkMaster().startsWith("local")) {
        setIfAbsent("spark.driver.host", "127.0.0.1");
        setIfAbsent("spark.driver.bindAddress", "127.0.0.1");
        setIfAbsent("spark.ui.enabled", "false");
      }
    }
    if (options.getRunner().getSimpleName().equals("DirectRunner") && config.streaming()
        && !given(all, "--blockOnRun")) {
      // run() returns at once: counts every interval and a graceful stop, as on Spark and Flink
      options.as(org.apache.beam.runners.direct.DirectOptions.class).setBlockOnRun(false);
    }
    if (options.getRunner().getSimpleName().equals("FlinkRunner") && config.streaming()) {
      FlinkDefaults.streaming(options.as(FlinkPipelineOptions.class), all, config);
    }
    startingOffsets(options, config);
    if (options.getRunner().getSimpleName().equals("SparkRunner") && config.streaming()) {
      CheckpointFlags.verifyOrRecord(checkpointDir(options), Arrays.asList(args)); // as typed
    }
    return options;
  }

  /** KafkaIO's exactly-once sink runs where {@code @RequiresStableInput} does, with checkpoints. */
  private static void requireExactlyOnceRunner(CandleOptions options, JobConfig config,
      List<String> args) {
    if (!config.kafka().exactlyOnce()) {
      return;
    }
    if (!config.sinks().contains("kafka")) {
      throw new IllegalArgumentException("--kafkaExactlyOnce is for the Kafka sink: add kafka to "
          + "--sinks=" + String.join(",", config.sinks()));
    }
    String runner = options.getRunner().getSimpleName();
    if (runner.equals("SparkRunner")) {
      throw new IllegalArgumentException("--kafkaExactlyOnce needs --runner=FlinkRunner: Beam's "
          + "SparkRunner cannot run KafkaIO's exactly-once sink (no @RequiresStableInput); without "
          + "the flag the Kafka sink is at least once, keyed, with pane indices");
    }
    if (runner.equals("FlinkRunner") && args.stream().anyMatch(a -> a.matches(
        "--checkpointingInterval=(-.*|0+)"))) {
      throw new IllegalArgumentException("--kafkaExactlyOnce commits at Flink checkpoints: "
          + "give --checkpointingInterval a positive number of milliseconds");
    }
  }

  /**
   * Streaming on Spark: 1 s micro-batches (500 ms did not keep up on 2 cores) and a checkpoint
   * under the output folder unless {@code --checkpointDir} is given (an existing one is resumed).
   */
  private static void streamingDefaults(SparkPipelineOptions spark, List<String> args,
      JobConfig config) {
    if (!given(args, "--batchIntervalMillis")) {
      spark.setBatchIntervalMillis(1000L);
    }
    if (!given(args, "--checkpointDir")) {
      spark.setCheckpointDir(Path.of(config.outputDir(), "checkpoint").toAbsolutePath().toString());
    }
  }

  /**
   * Spark-style JSON starting offsets, on any runner: committed for a consumer group that the job
   * then reads as. Only for a fresh start: a Spark run that resumes from its checkpoint continues
   * where the checkpoint says.
   */
  private static void startingOffsets(CandleOptions options, JobConfig config) {
    if (!config.source().equals("kafka") || !config.kafka().startingOffsets().startsWith("{")) {
      return;
    }
    if (options.getRunner().getSimpleName().equals("SparkRunner")) {
      if (hasSparkCheckpoint(options)) {
        return;
      }
    }
    String group = KafkaOffsets.commit(config.kafka());
    String extra = options.getConsumerConfig() == null ? "" : options.getConsumerConfig() + ",";
    options.setConsumerConfig(extra + "group.id=" + group);
  }

  /** Whether the command line gives {@code flag} ({@code --flag} or {@code --flag=value}). */
  static boolean given(List<String> args, String flag) {
    return args.stream().anyMatch(a -> a.equals(flag) || a.startsWith(flag + "="));
  }

  private static Path checkpointDir(CandleOptions options) {
    return Path.of(options.as(SparkPipelineOptions.class).getCheckpointDir().replaceFirst("^file:", ""));
  }

  /** Whether Spark has written anything into the checkpoint folder (our flags file aside). */
  private static boolean hasSparkCheckpoint(CandleOptions options) {
    try (java.util.stream.Stream<Path> s = java.nio.file.Files.list(checkpointDir(options))) {
      return s.anyMatch(f -> !f.getFileName().toString().equals(CheckpointFlags.FILE));
    } catch (IOException e) {
      return false;
    }
  }

  private static void requireMatches(CandleOptions options) {
    FileSystems.setDefaultPipelineOptions(options);
    try {
      MatchResult match = FileSystems.match(options.getInput());
      if (match.status() != MatchResult.Status.OK || match.metadata().isEmpty()) {
        throw new IllegalArgumentException("--input=" + options.getInput()
            + " matches no file: give a path or glob of tick files, e.g. --input='data/*.jsonl'");
      }
    } catch (IOException e) {
      throw new IllegalArgumentException("--input=" + options.getInput() + " cannot be read: "
          + e.getMessage());
    }
  }

  private static void requireListening(String host, int port) {
    try (java.net.Socket s = new java.net.Socket()) {
      s.connect(new java.net.InetSocketAddress(host, port), 3_000);
    } catch (IOException e) {
      throw new IllegalArgumentException("--source=socket: nothing listens on " + host + ":" + port
          + " (start the server first, e.g. nc -lk " + port + ")");
    }
  }

  private static void setIfAbsent(String property, String value) {
    if (System.getProperty(property) == null) {
      System.setProperty(property, value);
    }
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "invalid arguments";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName() + ": " + root.getMessage();
  }
}
