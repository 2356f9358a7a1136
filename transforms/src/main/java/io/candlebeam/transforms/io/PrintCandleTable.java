package io.candlebeam.transforms.io;

import io.candlebeam.transforms.model.Candle;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.WithKeys;
import org.apache.beam.sdk.transforms.windowing.DefaultTrigger;
import org.apache.beam.sdk.transforms.windowing.GlobalWindows;
import org.apache.beam.sdk.transforms.windowing.Window;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.joda.time.Duration;

/**
 * The console sink, for any kind of candle ({@link CandleFormat}). For bounded input: one table of
 * every candle, sorted by the format's order (symbol, timeframe, date), once the input is done. For
 * unbounded input: a monitor that prints each pane as it fires, as a table row with its pane timing.
 */
public final class PrintCandleTable<C> extends PTransform<PCollection<C>, PDone> {
  private final CandleFormat<C> format;

  public PrintCandleTable(CandleFormat<C> format) {
    this.format = format;
  }

  @Override
  public PDone expand(PCollection<C> candles) {
    if (candles.isBounded() == PCollection.IsBounded.BOUNDED) {
      candles
          .apply("AllInOneWindow", Window.<C>into(new GlobalWindows())
              .triggering(DefaultTrigger.of()).discardingFiredPanes()
              .withAllowedLateness(Duration.ZERO))
          .apply("OneKey", WithKeys.of("table"))
          .apply("Collect", GroupByKey.create())
          .apply("PrintTable", ParDo.of(new PrintTableFn<>(format)));
    } else {
      candles.apply("PrintPanes", ParDo.of(new PrintPaneFn<>(format)));
    }
    return PDone.in(candles.getPipeline());
  }

  /** Ticker candles as a table, in the given order: a header, then one row per candle. */
  public static String format(List<Candle> candles) {
    return format(TickerCandles.seed(), candles);
  }

  /** The rows as a table, in the given order: a header, then one row per candle. */
  public static <C> String format(CandleFormat<C> format, List<C> candles) {
    StringBuilder out = new StringBuilder(format.tableHeader()).append('\n');
    for (C c : candles) {
      out.append(format.tableRow(c)).append('\n');
    }
    return out.toString();
  }

  private static final class PrintTableFn<C> extends DoFn<KV<String, Iterable<C>>, Void> {
    private final CandleFormat<C> format;

    PrintTableFn(CandleFormat<C> format) {
      this.format = format;
    }

    @ProcessElement
    public void process(@Element KV<String, Iterable<C>> all) {
      List<C> rows = new ArrayList<>();
      all.getValue().forEach(rows::add);
      rows.sort(format.tableOrder());
      PrintStream out = System.out;
      out.print(format(format, rows));
      out.flush();
    }
  }

  private static final class PrintPaneFn<C> extends DoFn<C, Void> {
    private static boolean headerPrinted;
    private final CandleFormat<C> format;

    PrintPaneFn(CandleFormat<C> format) {
      this.format = format;
    }

    @ProcessElement
    public void process(@Element C c) {
      synchronized (PrintPaneFn.class) {
        if (!headerPrinted) {
          System.out.println(format.tableHeader());
          headerPrinted = true;
        }
        System.out.println(format.tableRow(c));
      }
    }
  }
}
