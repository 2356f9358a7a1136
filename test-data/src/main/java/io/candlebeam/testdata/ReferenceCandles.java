package io.candlebeam.testdata;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The expected daily candles, computed the plainest way: group the generated ticks by symbol and
 * UTC day, then one pass per group. It shares no code with the pipeline, so a test comparing the two
 * compares two independent computations of the same definition:
 *
 * <ul>
 *   <li>open = {@code open} of the earliest tick that has one (ties: the smallest such open);
 *   <li>close = {@code price} of the latest tick (ties: the largest price);
 *   <li>high/low = max {@code high} / min {@code low}; sums exact in decimal; avg = sum / count.
 * </ul>
 */
public final class ReferenceCandles {
  private static final long DAY = 86_400_000L;

  /** One generated tick, with the decimal text of each value as written to the file. */
  public record GeneratedTick(String symbol, long eventTime, BigDecimal price, BigDecimal open,
      BigDecimal high, BigDecimal low, BigDecimal volume, BigDecimal quoteVolume, Long trades) {}

  private ReferenceCandles() {}

  /** The candles as JSON lines (seed column names), sorted by symbol and date. */
  public static List<String> dailyCandles(List<GeneratedTick> ticks) {
    Map<String, List<GeneratedTick>> groups = new TreeMap<>();
    for (GeneratedTick t : ticks) {
      long day = Math.floorDiv(t.eventTime(), DAY) * DAY;
      groups.computeIfAbsent(t.symbol() + "|" + String.format("%015d", day), k -> new ArrayList<>())
          .add(t);
    }
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, List<GeneratedTick>> g : groups.entrySet()) {
      String symbol = g.getKey().substring(0, g.getKey().indexOf('|'));
      long day = Long.parseLong(g.getKey().substring(g.getKey().indexOf('|') + 1));
      out.add(candle(symbol, day, g.getValue()));
    }
    return out;
  }

  private static String candle(String symbol, long day, List<GeneratedTick> ticks) {
    GeneratedTick openTick = null;
    GeneratedTick closeTick = null;
    BigDecimal high = null;
    BigDecimal low = null;
    BigDecimal volume = null;
    BigDecimal quote = null;
    Long trades = null;
    BigDecimal priceSum = BigDecimal.ZERO;
    for (GeneratedTick t : ticks) {
      if (t.open() != null && (openTick == null || t.eventTime() < openTick.eventTime()
          || (t.eventTime() == openTick.eventTime() && t.open().compareTo(openTick.open()) < 0))) {
        openTick = t;
      }
      if (closeTick == null || t.eventTime() > closeTick.eventTime()
          || (t.eventTime() == closeTick.eventTime() && t.price().compareTo(closeTick.price()) > 0)) {
        closeTick = t;
      }
      if (t.high() != null) {
        high = high == null || t.high().compareTo(high) > 0 ? t.high() : high;
      }
      if (t.low() != null) {
        low = low == null || t.low().compareTo(low) < 0 ? t.low() : low;
      }
      if (t.volume() != null) {
        volume = volume == null ? t.volume() : volume.add(t.volume());
      }
      if (t.quoteVolume() != null) {
        quote = quote == null ? t.quoteVolume() : quote.add(t.quoteVolume());
      }
      if (t.trades() != null) {
        trades = trades == null ? t.trades() : trades + t.trades();
      }
      priceSum = priceSum.add(t.price());
    }
    double avg = priceSum.divide(BigDecimal.valueOf(ticks.size()), MathContext.DECIMAL128)
        .doubleValue();
    return "{\"date\":\"" + Instant.ofEpochMilli(day) + "\",\"symbol\":\"" + symbol + "\""
        + ",\"daily_open\":" + num(openTick == null ? null : openTick.open())
        + ",\"daily_high\":" + num(high) + ",\"daily_low\":" + num(low)
        + ",\"daily_close\":" + num(closeTick.price())
        + ",\"daily_volume\":" + num(volume) + ",\"daily_quote_volume\":" + num(quote)
        + ",\"total_trades\":" + trades + ",\"tick_count\":" + ticks.size()
        + ",\"avg_price\":" + avg + "}";
  }

  private static String num(BigDecimal d) {
    return d == null ? "null" : Double.toString(d.doubleValue());
  }
}
