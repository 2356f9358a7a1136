package io.candlebeam.pipeline.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;

/** Flags of {@code show} and {@code chart}. */
public interface ShowOptions extends JdbcOptions {
  @Description("Where the candles are: a run's output folder, its parquet/ or json/ folder, or jdbc.")
  @Default.String("out")
  String getFrom();

  void setFrom(String value);

  @Description("Only this symbol.")
  String getSymbol();

  void setSymbol(String value);

  @Description("Only this timeframe (1m, 1h, 1d: the window length), for a run with --timeframes "
      + "or --inputFormat=trade.")
  String getTimeframe();

  void setTimeframe(String value);

  @Description("show: only the newest N candles (0: all).")
  @Default.Integer(0)
  int getLast();

  void setLast(int value);

  @Description("chart: the PNG to write.")
  @Default.String("candles.png")
  String getOut();

  void setOut(String value);

  @Description("chart: also write a self-contained HTML page (the chart and the candle table).")
  String getHtml();

  void setHtml(String value);
}
