package io.candlebeam.testdata;

import io.candlebeam.testdata.ReferenceTradeCandles.GeneratedTrade;
import java.io.BufferedWriter;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Generates a realistic trade stream, as Binance's trade and aggTrade streams deliver it: per
 * symbol a price walk on the symbol's tick size, trades in bursts (calm stretches, then busy ones),
 * several trades in one millisecond (one taker order filling several makers: same time,
 * consecutive ids), decimals as strings; the second symbol as aggTrades ({@code f..l} ranges). The
 * symbols' streams are merged in arrival order (each trade up to 2 s late against the others), a
 * repeated delivery of about one trade in {@code duplicateEvery} (the same payload again, up to 30 s
 * later), and malformed lines of every kind. Writes {@code <out>/trades/trades-NNN.jsonl}, the
 * expected bars of 1m, 1h and 1d by {@link ReferenceTradeCandles} to {@code
 * <out>/expected/trade-candles.jsonl}, the counts to {@code expected/trade-counts.properties} and
 * the file names to {@code expected/trade-files.txt}. Deterministic for a given seed.
 */
public final class TradeGenerator {
  /** The timeframes of the expected bars. */
  public static final Map<String, Long> TIMEFRAMES = timeframes();

  private static Map<String, Long> timeframes() {
    Map<String, Long> t = new LinkedHashMap<>();
    t.put("1m", 60_000L);
    t.put("1h", 3_600_000L);
    t.put("1d", 86_400_000L);
    return java.util.Collections.unmodifiableMap(t);
  }

  private static final Object[][] KNOWN = {
    {"BTCUSDT", "43250.00", 2}, {"ETHUSDT", "2300.00", 2}, {"SOLUSDT", "98.000", 3},
    {"XRPUSDT", "0.5200", 4}, {"DOGEUSDT", "0.08200", 5},
  };

  static final List<String> MALFORMED = List.of(
      "not json at all",
      "[\"trade\"]",
      "{\"e\":\"kline\",\"s\":\"BTCUSDT\",\"t\":1,\"p\":\"1\",\"q\":\"1\",\"T\":%d,\"m\":true}",
      "{\"e\":\"trade\",\"t\":1,\"p\":\"1\",\"q\":\"1\",\"T\":%d,\"m\":true}",
      "{\"e\":\"trade\",\"s\":\"BTCUSDT\",\"t\":1,\"p\":\"abc\",\"q\":\"1\",\"T\":%d,\"m\":true}",
      "{\"e\":\"trade\",\"s\":\"BTCUSDT\",\"t\":1,\"p\":\"-5\",\"q\":\"1\",\"T\":%d,\"m\":true}",
      "{\"e\":\"trade\",\"s\":\"BTCUSDT\",\"t\":1,\"p\":\"5\",\"q\":\"0\",\"T\":%d,\"m\":true}",
      "{\"e\":\"trade\",\"s\":\"BTCUSDT\",\"t\":1,\"p\":\"5\",\"q\":\"1\",\"T\":1709251,\"m\":true}",
      "{\"e\":\"trade\",\"s\":\"BTCUSDT\",\"p\":\"5\",\"q\":\"1\",\"T\":%d,\"m\":true}",
      "{\"e\":\"trade\",\"s\":\"BTCUSDT\",\"t\":1,\"p\":\"5\",\"q\":\"1\",\"T\":%d,\"m\":\"yes\"}",
      "{\"e\":\"aggTrade\",\"s\":\"ETHUSDT\",\"a\":1,\"p\":\"5\",\"q\":\"1\",\"f\":9,\"l\":3,\"T\":%d,\"m\":true}",
      "{\"e\":\"trade\",\"s\":\"BTCUSDT\",\"t\":1,\"p\":\"5\",\"q\":\"1\",\"T\":%d,\"m\":true",
      "");

  private final Random random;
  private final int symbols;
  private final int days;
  private final int tradesPerDay;
  private final int files;
  private final int malformedEvery;
  private final int duplicateEvery;
  private final long start;

  public TradeGenerator(long seed, int symbols, int days, int tradesPerDay, int files,
      int malformedEvery, int duplicateEvery, LocalDate startDay) {
    if (symbols < 1 || symbols > KNOWN.length) {
      throw new IllegalArgumentException("--symbols must be 1.." + KNOWN.length + " for trades");
    }
    this.random = new Random(seed);
    this.symbols = symbols;
    this.days = days;
    this.tradesPerDay = tradesPerDay;
    this.files = files;
    this.malformedEvery = malformedEvery;
    this.duplicateEvery = duplicateEvery;
    this.start = startDay.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
  }

  /** The file lines, the trades in them (each once), and how many lines are repeats or malformed. */
  public record DataSet(List<List<String>> files, List<GeneratedTrade> trades, int duplicates,
      int malformed) {
    public int lines() {
      return files.stream().mapToInt(List::size).sum();
    }
  }

  private record Line(long arrival, String text) {}

  public DataSet generate() {
    List<GeneratedTrade> trades = new ArrayList<>();
    List<Line> lines = new ArrayList<>();
    for (int s = 0; s < symbols; s++) {
      walk(s, trades, lines);
    }
    int duplicates = 0;
    if (duplicateEvery > 0) {
      int n = lines.size();
      for (int i = 0; i < n; i++) {
        if (random.nextInt(duplicateEvery) == 0) {
          Line l = lines.get(i);
          lines.add(new Line(l.arrival() + random.nextInt(30_000), l.text()));
          duplicates++;
        }
      }
    }
    lines.sort(Comparator.comparingLong(Line::arrival));
    List<String> ordered = new ArrayList<>(lines.size());
    int malformed = 0;
    for (int i = 0; i < lines.size(); i++) {
      if (malformedEvery > 0 && i % malformedEvery == malformedEvery / 2) {
        String bad = MALFORMED.get(malformed % MALFORMED.size());
        ordered.add(bad.contains("%d") ? String.format(bad, lines.get(i).arrival()) : bad);
        malformed++;
      }
      ordered.add(lines.get(i).text());
    }
    List<List<String>> perFile = new ArrayList<>();
    int per = (ordered.size() + files - 1) / files;
    for (int f = 0; f < files; f++) {
      perFile.add(ordered.subList(Math.min(ordered.size(), f * per),
          Math.min(ordered.size(), (f + 1) * per)));
    }
    return new DataSet(perFile, trades, duplicates, malformed);
  }

  private void walk(int s, List<GeneratedTrade> trades, List<Line> lines) {
    String symbol = (String) KNOWN[s][0];
    BigDecimal price = new BigDecimal((String) KNOWN[s][1]);
    int scale = (Integer) KNOWN[s][2];
    BigDecimal tick = BigDecimal.ONE.movePointLeft(scale);
    boolean aggregated = s == 1;
    long id = 1_000_000L * (s + 1);
    long aggregateId = 50_000L * (s + 1);
    long end = start + days * 86_400_000L;
    double calmGap = 86_400_000.0 / tradesPerDay * 3; // mean gap between trades when calm
    long t = start + random.nextInt(1000);
    boolean burst = false;
    while (t < end) {
      if (random.nextInt(200) == 0) {
        burst = !burst;
      }
      int fills = random.nextInt(10) < 3 ? 1 + random.nextInt(4) : 1; // one order, several makers
      boolean makerBuys = random.nextBoolean();
      for (int f = 0; f < fills; f++) {
        double sigmaTicks = Math.max(1, price.doubleValue() * 5e-5 / tick.doubleValue());
        long move = Math.round(random.nextGaussian() * sigmaTicks);
        price = price.add(tick.multiply(BigDecimal.valueOf(move)));
        if (price.compareTo(tick) < 0) {
          price = tick;
        }
        BigDecimal qty = BigDecimal.valueOf(1 + random.nextInt(250_000_000), 8);
        long first = id;
        long last = aggregated ? id + random.nextInt(4) : id;
        id = last + 1;
        long recordId = aggregated ? aggregateId++ : first;
        GeneratedTrade trade =
            new GeneratedTrade(symbol, t, recordId, price, qty, makerBuys, first, last);
        trades.add(trade);
        lines.add(new Line(t + 5 + random.nextInt(2000), json(trade, aggregated)));
      }
      double gap = burst ? calmGap / 30 : calmGap;
      t += 1 + (long) (-Math.log(1 - random.nextDouble()) * gap);
    }
  }

  private static String json(GeneratedTrade t, boolean aggregated) {
    String id = aggregated
        ? "\"a\":" + t.id() + ",\"f\":" + t.first() + ",\"l\":" + t.last()
        : "\"t\":" + t.id();
    return "{\"e\":\"" + (aggregated ? "aggTrade" : "trade") + "\",\"E\":" + (t.time() + 3)
        + ",\"s\":\"" + t.symbol() + "\"," + id + ",\"p\":\"" + t.price().toPlainString()
        + "\",\"q\":\"" + t.qty().setScale(8, RoundingMode.UNNECESSARY).toPlainString()
        + "\",\"T\":" + t.time() + ",\"m\":" + t.buyerIsMaker() + ",\"M\":true}";
  }

  /** Writes trades, expected bars and counts under {@code out}. */
  public static DataSet write(Path out, TradeGenerator generator) throws IOException {
    DataSet data = generator.generate();
    Path dir = Files.createDirectories(out.resolve("trades"));
    Path expected = Files.createDirectories(out.resolve("expected"));
    List<String> names = new ArrayList<>();
    for (int f = 0; f < data.files().size(); f++) {
      names.add(String.format("trades-%03d.jsonl", f + 1));
      Files.write(dir.resolve(names.get(f)), data.files().get(f), StandardCharsets.UTF_8);
    }
    Files.write(expected.resolve("trade-files.txt"), names, StandardCharsets.UTF_8);
    Files.write(expected.resolve("trade-candles.jsonl"),
        ReferenceTradeCandles.bars(data.trades(), TIMEFRAMES), StandardCharsets.UTF_8);
    try (BufferedWriter w = Files.newBufferedWriter(expected.resolve("trade-counts.properties"))) {
      w.write("lines=" + data.lines() + "\ntrades=" + data.trades().size() + "\nduplicates="
          + data.duplicates() + "\nmalformed=" + data.malformed() + "\n");
    }
    return data;
  }
}
