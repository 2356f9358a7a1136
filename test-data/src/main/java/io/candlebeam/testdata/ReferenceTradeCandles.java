package io.candlebeam.testdata;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The expected OHLCV bars of generated trades, computed the plainest way: drop repeated trade ids
 * per symbol, sort each symbol's trades by (trade time, id), cut them into the windows of each
 * timeframe, one pass per window. It shares no code with the pipeline:
 *
 * <ul>
 *   <li>open / close = price of the first / last trade; high / low = max / min price, at the first
 *       trade that reached it;
 *   <li>volume = Σ qty, quote volume = Σ price × qty, buy volume = Σ qty where the buyer was not the
 *       maker, sell volume = volume − buy volume, all exact; VWAP = quote / volume to 16 digits.
 * </ul>
 */
public final class ReferenceTradeCandles {
  /** One generated trade as written (an aggTrade when {@code first != last}). */
  public record GeneratedTrade(String symbol, long time, long id, BigDecimal price,
      BigDecimal qty, boolean buyerIsMaker, long first, long last) {}

  private ReferenceTradeCandles() {}

  /**
   * The bars of every timeframe (milliseconds, with their labels) as JSON lines, sorted by
   * timeframe (as given), symbol and window start.
   */
  public static List<String> bars(List<GeneratedTrade> trades, Map<String, Long> timeframes) {
    Map<String, GeneratedTrade> unique = new LinkedHashMap<>();
    for (GeneratedTrade t : trades) {
      unique.putIfAbsent(t.symbol() + "#" + t.id(), t);
    }
    List<GeneratedTrade> sorted = new ArrayList<>(unique.values());
    sorted.sort((a, b) -> a.time() != b.time() ? Long.compare(a.time(), b.time())
        : Long.compare(a.id(), b.id()));
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, Long> tf : timeframes.entrySet()) {
      Map<String, List<GeneratedTrade>> windows = new TreeMap<>();
      for (GeneratedTrade t : sorted) {
        long start = Math.floorDiv(t.time(), tf.getValue()) * tf.getValue();
        windows.computeIfAbsent(t.symbol() + "|" + String.format("%015d", start),
            k -> new ArrayList<>()).add(t);
      }
      for (Map.Entry<String, List<GeneratedTrade>> w : windows.entrySet()) {
        String symbol = w.getKey().substring(0, w.getKey().indexOf('|'));
        long start = Long.parseLong(w.getKey().substring(w.getKey().indexOf('|') + 1));
        out.add(bar(tf.getKey(), symbol, start, start + tf.getValue(), w.getValue()));
      }
    }
    return out;
  }

  private static String bar(String timeframe, String symbol, long start, long end,
      List<GeneratedTrade> trades) {
    GeneratedTrade open = trades.get(0);
    GeneratedTrade close = trades.get(trades.size() - 1);
    GeneratedTrade high = open;
    GeneratedTrade low = open;
    BigDecimal volume = BigDecimal.ZERO;
    BigDecimal quote = BigDecimal.ZERO;
    BigDecimal buy = BigDecimal.ZERO;
    long count = 0;
    long first = Long.MAX_VALUE;
    long last = Long.MIN_VALUE;
    for (GeneratedTrade t : trades) {
      if (t.price().compareTo(high.price()) > 0) {
        high = t;
      }
      if (t.price().compareTo(low.price()) < 0) {
        low = t;
      }
      volume = volume.add(t.qty());
      quote = quote.add(t.price().multiply(t.qty()));
      if (!t.buyerIsMaker()) {
        buy = buy.add(t.qty());
      }
      count += t.last() - t.first() + 1;
      first = Math.min(first, t.first());
      last = Math.max(last, t.last());
    }
    BigDecimal vwap = quote.divide(volume, MathContext.DECIMAL64);
    return "{\"timeframe\":\"" + timeframe + "\",\"symbol\":\"" + symbol + "\",\"window_start\":\""
        + Instant.ofEpochMilli(start) + "\",\"window_end\":\"" + Instant.ofEpochMilli(end)
        + "\",\"open\":" + plain(open.price()) + ",\"high\":" + plain(high.price())
        + ",\"low\":" + plain(low.price()) + ",\"close\":" + plain(close.price())
        + ",\"volume\":" + plain(volume) + ",\"quote_volume\":" + plain(quote)
        + ",\"trades\":" + count + ",\"vwap\":" + plain(vwap) + ",\"buy_volume\":" + plain(buy)
        + ",\"sell_volume\":" + plain(volume.subtract(buy))
        + ",\"open_at\":\"" + Instant.ofEpochMilli(open.time()) + "\",\"high_at\":\""
        + Instant.ofEpochMilli(high.time()) + "\",\"low_at\":\"" + Instant.ofEpochMilli(low.time())
        + "\",\"close_at\":\"" + Instant.ofEpochMilli(close.time()) + "\",\"first_trade_id\":"
        + first + ",\"last_trade_id\":" + last + ",\"records\":" + trades.size() + "}";
  }

  private static String plain(BigDecimal d) {
    return d.signum() == 0 ? "0" : d.stripTrailingZeros().toPlainString();
  }
}
