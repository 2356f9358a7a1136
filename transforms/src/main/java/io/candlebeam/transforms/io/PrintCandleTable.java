package io.candlebeam.transforms.io;

import io.candlebeam.transforms.model.Candle;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Comparator;
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
 * The console sink. For bounded input: one table of every candle, sorted by symbol and date, once
 * the input is done. For unbounded input: a monitor that prints each pane as it fires, as a table
 * row with its pane timing.
 */
public final class PrintCandleTable extends PTransform<PCollection<Candle>, PDone> {
  static final String HEADER = String.format(
      "%-10s %-12s %14s %14s %14s %14s %16s %18s %10s %7s %14s  %s",
      "date", "symbol", "daily_open", "daily_high", "daily_low", "daily_close", "daily_volume",
      "daily_quote_volume", "trades", "ticks", "avg_price", "pane");

  @Override
  public PDone expand(PCollection<Candle> candles) {
    if (candles.isBounded() == PCollection.IsBounded.BOUNDED) {
      candles
          .apply("AllInOneWindow", Window.<Candle>into(new GlobalWindows())
              .triggering(DefaultTrigger.of()).discardingFiredPanes()
              .withAllowedLateness(Duration.ZERO))
          .apply("OneKey", WithKeys.of("table"))
          .apply("Collect", GroupByKey.create())
          .apply("PrintTable", ParDo.of(new PrintTableFn()));
    } else {
      candles.apply("PrintPanes", ParDo.of(new PrintPaneFn()));
    }
    return PDone.in(candles.getPipeline());
  }

  /** The rows as a table: a header, then one row per candle. */
  public static String format(List<Candle> candles) {
    StringBuilder out = new StringBuilder(HEADER).append('\n');
    for (Candle c : candles) {
      out.append(row(c)).append('\n');
    }
    return out.toString();
  }

  static String row(Candle c) {
    String date = java.time.Instant.ofEpochMilli(c.windowStart()).toString();
    if (date.endsWith("T00:00:00Z")) {
      date = date.substring(0, 10);
    }
    return String.format("%-10s %-12s %14s %14s %14s %14s %16s %18s %10s %7d %14s  %s#%d%s",
        date, c.symbol(), num(c.open()), num(c.high()), num(c.low()), num(c.close()),
        num(c.volume()), num(c.quoteVolume()), c.totalTrades() == null ? "-" : c.totalTrades(),
        c.tickCount(), num(c.avgPrice()), c.paneTiming(), c.paneIndex(), c.isFinal() ? " final" : "");
  }

  private static String num(Double v) {
    if (v == null) {
      return "-";
    }
    return new BigDecimal(v).round(new MathContext(10)).stripTrailingZeros().toPlainString();
  }

  private static final class PrintTableFn extends DoFn<KV<String, Iterable<Candle>>, Void> {
    @ProcessElement
    public void process(@Element KV<String, Iterable<Candle>> all) {
      List<Candle> rows = new ArrayList<>();
      all.getValue().forEach(rows::add);
      rows.sort(Comparator.comparing(Candle::symbol).thenComparing(Candle::windowStart)
          .thenComparing(Candle::paneIndex));
      PrintStream out = System.out;
      out.print(format(rows));
      out.flush();
    }
  }

  private static final class PrintPaneFn extends DoFn<Candle, Void> {
    private static boolean headerPrinted;

    @ProcessElement
    public void process(@Element Candle c) {
      synchronized (PrintPaneFn.class) {
        if (!headerPrinted) {
          System.out.println(HEADER);
          headerPrinted = true;
        }
        System.out.println(row(c));
      }
    }
  }
}
