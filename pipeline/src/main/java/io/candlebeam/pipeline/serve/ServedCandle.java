package io.candlebeam.pipeline.serve;

import com.fasterxml.jackson.core.JsonGenerator;
import io.candlebeam.transforms.io.TradeCandleJson;
import io.candlebeam.transforms.model.Candle;
import io.candlebeam.transforms.model.TradeCandle;
import io.candlebeam.transforms.window.Timeframes;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * One pane of one candle as the page and the API show it, whichever job made it: a ticker candle
 * ({@code daily_open} … {@code daily_volume}, {@code total_trades}) or a trade bar ({@code open} …
 * {@code volume}, {@code trades}). The timeframe is the window's length ({@code 1d}, {@code 1h}).
 * {@code open}, {@code high}, {@code low}, {@code volume} and {@code trades} are null when no
 * record of a ticker window carried them; decimals keep the digits the job wrote.
 */
public record ServedCandle(String symbol, String timeframe, long windowStart, long windowEnd,
    BigDecimal open, BigDecimal high, BigDecimal low, BigDecimal close, BigDecimal volume,
    Long trades, String paneTiming, long paneIndex, boolean isFinal) {

  /** One candle of one symbol and timeframe: its panes share this key. */
  public String key() {
    return symbol + "|" + timeframe + "|" + windowStart;
  }

  public static ServedCandle of(Candle c) {
    return new ServedCandle(c.symbol(), Timeframes.label(c.windowEnd() - c.windowStart()),
        c.windowStart(), c.windowEnd(), decimal(c.open()), decimal(c.high()), decimal(c.low()),
        BigDecimal.valueOf(c.close()), decimal(c.volume()), c.totalTrades(), c.paneTiming(),
        c.paneIndex(), c.isFinal());
  }

  public static ServedCandle of(TradeCandle c) {
    return new ServedCandle(c.symbol(), c.timeframe(), c.windowStart(), c.windowEnd(), c.open(),
        c.high(), c.low(), c.close(), c.volume(), c.trades(), c.paneTiming(), c.paneIndex(),
        c.isFinal());
  }

  /** Writes this candle as one JSON object (ISO-8601 UTC times, decimals in plain notation). */
  void writeTo(JsonGenerator g) throws IOException {
    g.writeStartObject();
    g.writeStringField("symbol", symbol);
    g.writeStringField("timeframe", timeframe);
    g.writeStringField("window_start", Instant.ofEpochMilli(windowStart).toString());
    g.writeStringField("window_end", Instant.ofEpochMilli(windowEnd).toString());
    number(g, "open", open);
    number(g, "high", high);
    number(g, "low", low);
    number(g, "close", close);
    number(g, "volume", volume);
    if (trades == null) {
      g.writeNullField("trades");
    } else {
      g.writeNumberField("trades", trades);
    }
    g.writeStringField("pane_timing", paneTiming);
    g.writeNumberField("pane_index", paneIndex);
    g.writeBooleanField("is_final", isFinal);
    g.writeEndObject();
  }

  private static void number(JsonGenerator g, String field, BigDecimal value) throws IOException {
    g.writeFieldName(field);
    if (value == null) {
      g.writeNull();
    } else {
      g.writeNumber(TradeCandleJson.plain(value));
    }
  }

  private static BigDecimal decimal(Double d) {
    return d == null ? null : BigDecimal.valueOf(d);
  }
}
