package io.candlebeam.pipeline;

import io.candlebeam.pipeline.options.ShowOptions;
import io.candlebeam.transforms.io.PrintCandleTable;
import io.candlebeam.transforms.io.TradeCandles;
import io.candlebeam.transforms.model.Candle;
import io.candlebeam.transforms.model.TradeCandle;
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
      if (candles == null) {
        List<TradeCandle> bars = CandleStore.readTradeBars(o.getFrom(), o.getSymbol(),
            o.getTimeframe());
        List<TradeCandle> rows =
            o.getLast() > 0 ? bars.subList(0, Math.min(o.getLast(), bars.size())) : bars;
        out.print(PrintCandleTable.format(new TradeCandles(), rows));
        out.println(rows.size() + " bars");
        return;
      }
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
      if (candles == null) {
        if (o.getTimeframe() == null) {
          throw new IllegalArgumentException("--timeframe is required for trade bars: which "
              + "timeframe to draw, e.g. --timeframe=1h");
        }
        candles = CandleStore.readTradeBars(o.getFrom(), o.getSymbol(), o.getTimeframe()).stream()
            .map(ServingCommands::asCandle).toList();
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

  /** A trade bar as a chart's candle: its OHLC and volume as doubles, trades as the tick count. */
  private static Candle asCandle(TradeCandle b) {
    return new Candle(b.symbol(), b.windowStart(), b.windowEnd(), b.open().doubleValue(),
        b.high().doubleValue(), b.low().doubleValue(), b.close().doubleValue(),
        b.volume().doubleValue(), b.quoteVolume().doubleValue(), b.trades(), b.records(),
        b.vwap().doubleValue(), b.paneTiming(), b.paneIndex(), b.isFinal());
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
      // Trade bars are read by the action itself (null here): they are not ticker candles.
      List<Candle> candles = CandleStore.holdsTradeBars(o.getFrom()) ? null
          : CandleStore.read(o.getFrom(), JobConfig.jdbc(o), o.getSymbol(), o.getTimeframe());
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
