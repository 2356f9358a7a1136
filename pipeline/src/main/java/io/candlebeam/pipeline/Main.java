package io.candlebeam.pipeline;

import io.candlebeam.testdata.TickGenerator;
import java.util.Arrays;

/**
 * The jar's entry point. {@code candlebeam.jar [--flags]} (or {@code run [--flags]}) runs the
 * candle job; {@code produce [--flags]} replays tick files into Kafka; {@code generate [--flags]}
 * writes a larger tick data set with its expected candles.
 */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    if (args.length > 0 && !args[0].startsWith("-")) {
      String[] rest = Arrays.copyOfRange(args, 1, args.length);
      switch (args[0]) {
        case "run" -> System.exit(Launcher.launch(rest, System.out, System.err));
        case "generate" -> TickGenerator.main(rest);
        case "produce" -> System.exit(TickProducer.run(rest, System.out, System.err));
        default -> {
          System.err.println("candlebeam: unknown command '" + args[0]
              + "': use run (the default), produce or generate");
          System.exit(2);
        }
      }
      return;
    }
    System.exit(Launcher.launch(args, System.out, System.err));
  }
}
