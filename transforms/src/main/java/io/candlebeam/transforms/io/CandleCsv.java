package io.candlebeam.transforms.io;

import io.candlebeam.transforms.model.Candle;
import java.time.Instant;

/**
 * A candle as one CSV row (RFC 4180: comma-separated, a field with a comma, quote or line break is
 * quoted, quotes doubled), with the same columns as the JSON sink; a missing aggregate is empty.
 */
public final class CandleCsv {
  public static final String HEADER = "date,symbol,daily_open,daily_high,daily_low,daily_close,"
      + "daily_volume,daily_quote_volume,total_trades,tick_count,avg_price,window_end,pane_timing,"
      + "pane_index,is_final";

  private CandleCsv() {}

  public static String toCsv(Candle c) {
    return String.join(",",
        Instant.ofEpochMilli(c.windowStart()).toString(), field(c.symbol()), num(c.open()),
        num(c.high()), num(c.low()), num(c.close()), num(c.volume()), num(c.quoteVolume()),
        c.totalTrades() == null ? "" : c.totalTrades().toString(), Long.toString(c.tickCount()),
        num(c.avgPrice()), Instant.ofEpochMilli(c.windowEnd()).toString(), field(c.paneTiming()),
        Long.toString(c.paneIndex()), Boolean.toString(c.isFinal()));
  }

  /** An RFC 4180 field: quoted when it holds a comma, a quote or a line break. */
  static String field(String s) {
    if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0 && s.indexOf('\r') < 0) {
      return s;
    }
    return '"' + s.replace("\"", "\"\"") + '"';
  }

  private static String num(Double d) {
    return d == null ? "" : Double.toString(d);
  }
}
