package io.candlebeam.pipeline;

import io.candlebeam.pipeline.options.ShowOptions;
import io.candlebeam.transforms.io.PrintCandleTable;
import io.candlebeam.transforms.model.Candle;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import org.apache.beam.sdk.options.PipelineOptionsFactory;

/**
 * {@code show} prints the current candle table (newest first, like the seed's {@code SELECT * FROM
 * crypto_daily_stats ORDER BY date DESC}); {@code chart} draws one symbol's candles as a
 * candlestick PNG (and optionally an HTML page). Both read a run's files or the PostgreSQL table
 * through {@link CandleStore}, while a stream runs or after a batch.
 */
public final class ServingCommands {
  private ServingCommands() {}

  public static int show(String[] args, PrintStream out, PrintStream err) {
    return run("show", args, out, err, (o, candles) -> {
      List<Candle> rows = o.getLast() > 0 ? candles.subList(0, Math.min(o.getLast(), candles.size()))
          : candles;
      out.print(PrintCandleTable.format(rows));
      out.println(rows.size() + " candles");
    });
  }

  public static int chart(String[] args, PrintStream out, PrintStream err) {
    return run("chart", args, out, err, (o, candles) -> {
      if (o.getSymbol() == null) {
        throw new IllegalArgumentException("--symbol is required: which symbol to draw, e.g. --symbol=BTCUSDT");
      }
      List<Candle> ascending = new ArrayList<>(candles);
      Collections.reverse(ascending);
      Path png = Path.of(o.getOut());
      int drawn = CandlestickChart.writePng(o.getSymbol(), ascending, png);
      out.println("wrote " + png + " (" + drawn + " candles of " + o.getSymbol() + ")");
      if (o.getHtml() != null) {
        String image = Base64.getEncoder().encodeToString(Files.readAllBytes(png));
        Files.writeString(Path.of(o.getHtml()), "<!doctype html><html><head><meta charset=\"utf-8\">"
            + "<title>" + o.getSymbol() + " candles</title></head><body><h1>" + o.getSymbol()
            + "</h1><img alt=\"candlestick chart\" src=\"data:image/png;base64," + image + "\">"
            + "<pre>" + PrintCandleTable.format(candles).replace("<", "&lt;") + "</pre></body></html>");
        out.println("wrote " + o.getHtml());
      }
    });
  }

  @FunctionalInterface
  private interface Action {
    void apply(ShowOptions options, List<Candle> candles) throws IOException;
  }

  private static int run(String name, String[] args, PrintStream out, PrintStream err, Action action) {
    if (List.of(args).contains("--help")) {
      out.println("candlebeam " + name + ": its flags");
      out.print(io.candlebeam.pipeline.options.OptionsHelp.render(
          io.candlebeam.pipeline.options.OptionsHelp.flags(ShowOptions.class)));
      return 0;
    }
    try {
      PipelineOptionsFactory.register(ShowOptions.class);
      ShowOptions o = PipelineOptionsFactory.fromArgs(args).withValidation().as(ShowOptions.class);
      List<Candle> candles = CandleStore.read(o.getFrom(), JobConfig.jdbc(o), o.getSymbol());
      action.apply(o, candles);
      return 0;
    } catch (IllegalArgumentException e) {
      err.println("candlebeam " + name + ": " + e.getMessage().lines().findFirst().orElse(""));
      return 2;
    } catch (IOException | SQLException e) {
      err.println("candlebeam " + name + ": cannot read candles: " + e.getMessage());
      return 1;
    }
  }
}
