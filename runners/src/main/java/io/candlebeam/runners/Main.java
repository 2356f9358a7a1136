package io.candlebeam.runners;

import io.candlebeam.pipeline.Launcher;
import io.candlebeam.pipeline.RunnerAdapter;
import io.candlebeam.pipeline.ServingCommands;
import io.candlebeam.pipeline.TickProducer;
import io.candlebeam.pipeline.serve.ServeCommand;
import io.candlebeam.testdata.TickGenerator;
import java.util.Arrays;
import java.util.List;

/**
 * The jar's entry point. {@code candlebeam.jar [--flags]} (or {@code run [--flags]}) runs the
 * candle job; {@code produce} replays tick files into Kafka; {@code show} prints the candle table
 * of a run or of PostgreSQL; {@code chart} draws a candlestick PNG; {@code serve} serves a live
 * candle page and its API; {@code generate} writes a
 * larger tick data set with its expected candles. Each takes {@code --help}.
 *
 * <p>The runners candlebeam knows are chosen here: one {@link RunnerAdapter} each, the SparkRunner
 * the default. Any other Beam runner on the class path runs with Beam's defaults.
 */
public final class Main {
  private Main() {}

  /**
   * The launcher of the jar: the SparkRunner by default. (The adapters are made here, not in a
   * static field: their classes start Beam's options registry, which {@link #main} lets the
   * {@link ClassPreloader} get ahead of.)
   */
  public static Launcher launcher() {
    List<RunnerAdapter> runners =
        List.of(new SparkAdapter(), new FlinkAdapter(), new DirectAdapter());
    return new Launcher(SparkAdapter.NAME, runners);
  }

  public static void main(String[] args) {
    if (args.length > 0 && !args[0].startsWith("-")) {
      String[] rest = Arrays.copyOfRange(args, 1, args.length);
      switch (args[0]) {
        case "run" -> System.exit(runJob(rest));
        case "generate" -> TickGenerator.main(rest);
        case "produce" -> System.exit(TickProducer.run(rest, System.out, System.err));
        case "show" -> System.exit(ServingCommands.show(rest, System.out, System.err));
        case "chart" -> System.exit(ServingCommands.chart(rest, System.out, System.err));
        case "serve" -> System.exit(ServeCommand.run(rest, System.out, System.err));
        default -> {
          System.err.println("candlebeam: unknown command '" + args[0]
              + "': use run (the default), produce, show, chart, serve or generate");
          System.exit(2);
        }
      }
      return;
    }
    System.exit(runJob(args));
  }

  /** The candle job, its runner's classes loaded ahead ({@link ClassPreloader}). */
  private static int runJob(String[] args) {
    ClassPreloader.startFor(args, SparkAdapter.NAME);
    return launcher().launch(args, System.out, System.err);
  }
}
