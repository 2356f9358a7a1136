package io.candlebeam.pipeline;

import io.candlebeam.pipeline.options.CandleOptions;
import io.candlebeam.pipeline.options.OptionsHelp;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.io.FileSystems;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * The command line's edge: flags in, typed options out, defaults filled in, errors turned into one
 * line and an exit code (2: bad flags, 1: the run failed). Runner specifics come from the {@link
 * RunnerAdapter}s it is given ({@code runners/}'s {@code Main} gives Spark, Flink and Direct).
 *
 * <p>Three steps, each callable on its own: {@link #parse} (flags to options, validated, no side
 * effects), {@link #prepare} (the side effects a run needs: PostgreSQL table, bundled data
 * extracted, socket probed, Kafka start offsets committed, the runner's own), {@link #launch} (both,
 * then the run and its report).
 *
 * <p>Defaults: the launcher's default runner; {@code --source=files} with the bundled test data;
 * {@code --sinks=console,parquet,json} under {@code --outputDir=out}.
 */
public final class Launcher {
  private final String defaultRunner;
  private final List<RunnerAdapter> adapters;

  /** Parsed flags: the options, their typed form, the runner's adapter, the flags as typed. */
  public record Launch(CandleOptions options, JobConfig config, RunnerAdapter runner,
      List<String> typed) {}

  public Launcher(String defaultRunner, List<RunnerAdapter> adapters) {
    this.defaultRunner = defaultRunner;
    this.adapters = List.copyOf(adapters);
  }

  /** Beam's own runner defaults, no adapters: for what is not about a runner (tests, tools). */
  public static Launcher plain() {
    return new Launcher("DirectRunner", List.of());
  }

  public int launch(String[] args, PrintStream out, PrintStream err) {
    if (Arrays.asList(args).contains("--help")) {
      printHelp(out);
      return 0;
    }
    Launch launch;
    try {
      launch = prepare(parse(args));
    } catch (IllegalArgumentException e) {
      err.println("candlebeam: " + firstLine(e.getMessage()));
      err.println("candlebeam: see --help for every flag");
      return 2;
    }
    try {
      RunReport report = CandlePipeline.run(launch.options(), launch.runner());
      if (!launch.config().streaming()) {
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

  /** {@link #parse} then {@link #prepare}: options ready to run. */
  public Launch ready(String... args) {
    return prepare(parse(args));
  }

  /**
   * The job's flags ({@link CandleOptions}, with the launcher's default runner), then each
   * runner's own flags and where Beam lists the rest of a runner's.
   */
  void printHelp(PrintStream out) {
    Map<String, OptionsHelp.Flag> flags = new TreeMap<>(OptionsHelp.flags(CandleOptions.class));
    flags.put("runner", new OptionsHelp.Flag("runner", "Class", defaultRunner,
        "The Beam runner: " + String.join(", ", adapters.stream().map(RunnerAdapter::runner)
            .toList()) + " (or another Beam runner on the class path, with Beam's defaults)."));
    flags.put("streaming", new OptionsHelp.Flag("streaming", "boolean", "false",
        "Run as a streaming job; implied by an unbounded --source (kafka, socket, directory)."));
    out.println("candlebeam [run]: the candle job (and --job=words|devices|records). Flags:");
    out.print(OptionsHelp.render(flags));
    List<String> helps = new ArrayList<>();
    boolean header = false;
    for (RunnerAdapter a : adapters) {
      for (Map.Entry<String, String> f : new TreeMap<>(a.ownFlags()).entrySet()) {
        if (!header) {
          out.println("Runner flags (refused on the other runners):");
          header = true;
        }
        out.println("  " + f.getKey() + "\n    works with " + f.getValue());
      }
      if (a.optionsHelp() != null) {
        helps.add("--help=" + a.optionsHelp());
      }
    }
    if (!helps.isEmpty()) {
      out.println("Every flag of a runner, with Beam's defaults: " + String.join(", ", helps)
          + ".");
    }
    out.flush();
  }

  /** Parses and validates the flags, filling in candlebeam's defaults; no side effects. */
  public Launch parse(String... args) {
    PipelineOptionsFactory.register(CandleOptions.class);
    List<String> typed = List.of(args);
    List<String> all = new ArrayList<>(typed);
    if (!given(all, "--runner")) {
      all.add(0, "--runner=" + defaultRunner);
    }
    CandleOptions options =
        PipelineOptionsFactory.fromArgs(all.toArray(String[]::new)).withValidation()
            .as(CandleOptions.class);
    JobConfig config = JobConfig.from(options); // validates every flag of ours
    RunnerAdapter runner = adapterOf(options.getRunner().getSimpleName());
    if (config.kafka().exactlyOnce() && !config.sinks().contains("kafka")) {
      throw new IllegalArgumentException("--kafkaExactlyOnce is for the Kafka sink: add kafka to "
          + "--sinks=" + String.join(",", config.sinks()));
    }
    IneffectiveFlags.refuse(all, runner, adapters, config);
    if (config.source().equals("files") && options.getInput() != null) {
      requireMatches(options);
    }
    if (config.source().equals("files") && options.getInput() == null
        && !config.job().equals("candles")) {
      throw new IllegalArgumentException("--input is required for --job=" + config.job()
          + ": the bundled data is ticks");
    }
    if (config.source().equals("directory")
        && (options.getInput() == null || !Files.isDirectory(Path.of(options.getInput())))) {
      throw new IllegalArgumentException("--source=directory needs --input=<a directory to watch>");
    }
    if (config.streaming()) {
      options.setStreaming(true);
    }
    runner.configure(options, typed, config);
    return new Launch(options, JobConfig.from(options), runner, typed);
  }

  /**
   * The side effects a run needs, in this order: the runner's (which may refuse the run, e.g. a
   * checkpoint written with other flags), the PostgreSQL table (failing fast on credentials), the
   * bundled data extracted when no {@code --input} is given, the socket probed, Spark-style JSON
   * start offsets committed for a fresh start.
   */
  public Launch prepare(Launch launch) {
    CandleOptions options = launch.options();
    JobConfig config = launch.config();
    launch.runner().prepare(options, launch.typed(), config);
    if (config.sinks().contains("jdbc")) {
      createTable(config);
    }
    if (config.source().equals("files") && options.getInput() == null) {
      options.setInput(config.trades() ? BundledTestData.extractTrades() : BundledTestData.extract());
    }
    if (config.source().equals("socket")) {
      requireListening(config.host(), config.port());
    }
    if (config.source().equals("kafka") && config.kafka().startingOffsets().startsWith("{")
        && !launch.runner().resumesFromCheckpoint(options)) {
      // committed for a consumer group the job then reads as; a resumed run continues where its
      // checkpoint says
      String group = KafkaOffsets.commit(config.kafka());
      String extra = options.getConsumerConfig() == null ? "" : options.getConsumerConfig() + ",";
      options.setConsumerConfig(extra + "group.id=" + group);
    }
    return new Launch(options, JobConfig.from(options), launch.runner(), launch.typed());
  }

  /** Whether the command line gives {@code flag} ({@code --flag} or {@code --flag=value}). */
  public static boolean given(List<String> args, String flag) {
    return args.stream().anyMatch(a -> a.equals(flag) || a.startsWith(flag + "="));
  }

  private RunnerAdapter adapterOf(String runner) {
    return adapters.stream().filter(a -> a.runner().equals(runner)).findFirst()
        .orElse(RunnerAdapter.plain(runner));
  }

  private static void createTable(JobConfig config) {
    try {
      if (config.job().equals("candles")) {
        io.candlebeam.transforms.jdbc.UpsertCandles.createTable(config.jdbc(),
            config.trades() ? new io.candlebeam.transforms.io.TradeCandles() : config.tickerFormat());
      } else {
        io.candlebeam.transforms.jdbc.UpsertJsonRows.createTable(config.jdbc());
      }
    } catch (java.sql.SQLException e) {
      throw new IllegalArgumentException("cannot use PostgreSQL at " + config.jdbc().url()
          + " as " + config.jdbc().user() + ": " + e.getMessage()
          + " (check --jdbcUrl, --jdbcUser and the password in PGPASSWORD or --jdbcPasswordFile)");
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
