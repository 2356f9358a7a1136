package io.candlebeam.testdata;

import io.candlebeam.testdata.ReferenceCandles.GeneratedTick;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Generates a realistic multi-day tick data set: per symbol a random walk of Binance 24h-ticker
 * JSON lines, shuffled across files (so nothing arrives in event-time order), with repeated event
 * times (to exercise the tie rule), missing and null optional fields, and malformed lines of every
 * kind mixed in. Writes {@code <out>/ticks/ticks-NNN.jsonl}, the expected candles computed by
 * {@link ReferenceCandles} to {@code <out>/expected/candles.jsonl}, the line counts to {@code
 * <out>/expected/counts.properties} and the tick file names to {@code expected/tick-files.txt}. Deterministic for a given seed.
 *
 * <pre>
 * java -cp candlebeam.jar io.candlebeam.testdata.TickGenerator --out=data --symbols=20 --days=7 \
 *     --ticksPerDay=35000 --files=14 --malformedEvery=1000 --seed=1 [--order=time [--lateEvery=N]]
 * </pre>
 */
public final class TickGenerator {
  /** Symbols with realistic start prices and decimals; more symbols get made-up names. */
  private static final Object[][] KNOWN = {
    {"BTCUSDT", "43250.00", 2}, {"ETHUSDT", "2300.00", 2}, {"BNBUSDT", "310.0", 1},
    {"SOLUSDT", "98.00", 2}, {"XRPUSDT", "0.5200", 4}, {"DOGEUSDT", "0.08200", 5},
    {"ADAUSDT", "0.5500", 4}, {"AVAXUSDT", "36.00", 2}, {"LINKUSDT", "18.50", 2},
    {"DOTUSDT", "7.400", 3},
  };

  /** Malformed lines, one of each kind the parser must reject (a placeholder %d gets a time). */
  static final List<String> MALFORMED = List.of(
      "this is not json",
      "[\"BTCUSDT\", 1]",
      "{\"event_time\":%d,\"price\":1.5}",
      "{\"symbol\":null,\"event_time\":%d,\"price\":1.5}",
      "{\"symbol\":\"../../etc/passwd\",\"event_time\":%d,\"price\":1.5}",
      "{\"symbol\":\"BTCUSDT\",\"event_time\":\"%d\",\"price\":1.5}",
      "{\"symbol\":\"BTCUSDT\",\"price\":1.5}",
      "{\"symbol\":\"BTCUSDT\",\"event_time\":1709251,\"price\":1.5}",
      "{\"symbol\":\"BTCUSDT\",\"event_time\":%d,\"price\":\"1.5\"}",
      "{\"symbol\":\"BTCUSDT\",\"event_time\":%d,\"price\":-2}",
      "{\"symbol\":\"BTCUSDT\",\"event_time\":%d,\"price\":0}",
      "{\"symbol\":\"BTCUSDT\",\"event_time\":%d,\"price\":1e400}",
      "{\"symbol\":\"BTCUSDT\",\"event_time\":%d,\"price\":NaN}",
      "{\"symbol\":\"BTCUSDT\",\"event_time\":%d,\"price\":1.5,\"volume\":-1e999}",
      "{\"symbol\":\"BTCUSDT\",\"event_time\":%d,\"price\":1.5,\"number_trades\":2.5}",
      "{\"symbol\":\"BTCUSDT\",\"event_time\":%d,\"price\":1.5",
      "",
      "{\"symbol\":\"BTC USDT\",\"event_time\":%d,\"price\":1.5}");

  private final Random random;
  private final int symbols;
  private final int days;
  private final int ticksPerDay;
  private final int files;
  private final int malformedEvery;
  private final long start;
  private boolean timeOrder;
  private int lateEvery;

  public TickGenerator(long seed, int symbols, int days, int ticksPerDay, int files,
      int malformedEvery, LocalDate startDay) {
    this.random = new Random(seed);
    this.symbols = symbols;
    this.days = days;
    this.ticksPerDay = ticksPerDay;
    this.files = files;
    this.malformedEvery = malformedEvery;
    this.start = startDay.atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
  }

  /**
   * Lines in event-time order with up to {@code 5 min} of local disorder, as a live stream
   * delivers them (and as a Kafka replay should), instead of fully shuffled across days.
   */
  public TickGenerator inTimeOrder() {
    this.timeOrder = true;
    return this;
  }

  /**
   * With {@link #inTimeOrder()}: every {@code n}th tick arrives late, 90 minutes after the end of
   * its day. With the default 1 h watermark delay the watermark is then 30 minutes past the end of
   * its window (the ON_TIME pane has fired) and within the default 1 h allowed lateness: a LATE
   * pane, never a dropped tick, as long as micro-batches span well under 30 minutes of event time.
   */
  public TickGenerator withLateTicks(int n) {
    this.lateEvery = n;
    return this;
  }

  /** The result of one generation: the file lines, the ticks in them, and the malformed count. */
  public record DataSet(List<List<String>> files, List<GeneratedTick> ticks, int malformed) {
    public int lines() {
      return files.stream().mapToInt(List::size).sum();
    }
  }

  public DataSet generate() {
    List<GeneratedTick> ticks = new ArrayList<>();
    List<String> lines = new ArrayList<>();
    for (int s = 0; s < symbols; s++) {
      walk(s, ticks, lines);
    }
    if (timeOrder) {
      List<Long> jittered = new ArrayList<>();
      for (int i = 0; i < ticks.size(); i++) {
        boolean late = lateEvery > 0 && i % lateEvery == lateEvery - 1;
        long t = ticks.get(i).eventTime();
        long dayEnd = Math.floorDiv(t, 86_400_000L) * 86_400_000L + 86_400_000L;
        jittered.add(late ? dayEnd + 90 * 60_000L : t + random.nextInt(300_000));
      }
      Integer[] order = new Integer[lines.size()];
      for (int i = 0; i < order.length; i++) {
        order[i] = i;
      }
      java.util.Arrays.sort(order, java.util.Comparator.comparing(jittered::get));
      List<String> sorted = new ArrayList<>(lines.size());
      for (int i : order) {
        sorted.add(lines.get(i));
      }
      lines = sorted;
    } else {
      Collections.shuffle(lines, random);
    }
    int malformed = 0;
    if (malformedEvery > 0) {
      List<String> mixed = new ArrayList<>(lines.size() + lines.size() / malformedEvery + 1);
      for (int i = 0; i < lines.size(); i++) {
        if (i % malformedEvery == malformedEvery / 2) {
          String bad = MALFORMED.get(malformed % MALFORMED.size());
          mixed.add(bad.contains("%d") ? String.format(bad, start + random.nextInt(86_400_000)) : bad);
          malformed++;
        }
        mixed.add(lines.get(i));
      }
      lines = mixed;
    }
    List<List<String>> perFile = new ArrayList<>();
    int per = (lines.size() + files - 1) / files;
    for (int f = 0; f < files; f++) {
      perFile.add(lines.subList(Math.min(lines.size(), f * per), Math.min(lines.size(), (f + 1) * per)));
    }
    return new DataSet(perFile, ticks, malformed);
  }

  private void walk(int s, List<GeneratedTick> ticks, List<String> lines) {
    String symbol = s < KNOWN.length ? (String) KNOWN[s][0] : String.format("SYM%03dUSDT", s);
    BigDecimal price = new BigDecimal(s < KNOWN.length ? (String) KNOWN[s][1] : (1 + s) + ".000");
    int scale = s < KNOWN.length ? (Integer) KNOWN[s][2] : 3;
    BigDecimal dayOpen = price;
    for (int d = 0; d < days; d++) {
      long dayStart = start + d * 86_400_000L;
      long[] times = new long[ticksPerDay];
      for (int i = 0; i < ticksPerDay; i++) {
        times[i] = dayStart + (long) (random.nextDouble() * 86_400_000L);
        if (i > 0 && random.nextInt(100) == 0) {
          times[i] = times[i - 1]; // a tie: two ticks at the same millisecond
        }
      }
      java.util.Arrays.sort(times);
      for (long time : times) {
        double step = 1 + random.nextGaussian() * 0.002;
        price = price.multiply(BigDecimal.valueOf(step)).setScale(scale, RoundingMode.HALF_EVEN);
        if (price.signum() <= 0) {
          price = BigDecimal.ONE.movePointLeft(scale);
        }
        BigDecimal high = price.multiply(BigDecimal.valueOf(1 + random.nextDouble() * 0.03))
            .setScale(scale, RoundingMode.HALF_EVEN);
        BigDecimal low = price.multiply(BigDecimal.valueOf(1 - random.nextDouble() * 0.03))
            .setScale(scale, RoundingMode.HALF_EVEN);
        BigDecimal volume = BigDecimal.valueOf(random.nextInt(50_000_000), 4);
        BigDecimal quote = volume.multiply(price).setScale(4, RoundingMode.HALF_EVEN);
        long trades = 1000 + random.nextInt(500_000);
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("symbol", symbol);
        fields.put("event_time", time);
        fields.put("price", price);
        fields.put("open", optional(dayOpen));
        fields.put("high", optional(high));
        fields.put("low", optional(low));
        fields.put("volume", optional(volume));
        fields.put("quote_volume", optional(quote));
        fields.put("number_trades", optional(trades));
        fields.put("price_change", price.subtract(dayOpen));
        fields.put("price_change_percent", price.subtract(dayOpen).movePointRight(2)
            .divide(dayOpen, 3, RoundingMode.HALF_EVEN));
        fields.put("timestamp", Instant.ofEpochMilli(time).toString());
        lines.add(toJson(fields));
        ticks.add(new GeneratedTick(symbol, time, price, decimal(fields.get("open")),
            decimal(fields.get("high")), decimal(fields.get("low")), decimal(fields.get("volume")),
            decimal(fields.get("quote_volume")),
            fields.get("number_trades") instanceof Long l ? l : null));
      }
      dayOpen = price;
    }
  }

  /** Usually the value; 1 in 50 missing (absent), 1 in 50 null. */
  private Object optional(Object value) {
    int r = random.nextInt(100);
    return r < 2 ? Absent.INSTANCE : r < 4 ? null : value;
  }

  private enum Absent { INSTANCE }

  private static BigDecimal decimal(Object value) {
    return value instanceof BigDecimal d ? d : null;
  }

  private static String toJson(Map<String, Object> fields) {
    StringBuilder b = new StringBuilder(320).append('{');
    for (Map.Entry<String, Object> e : fields.entrySet()) {
      if (e.getValue() == Absent.INSTANCE) {
        continue;
      }
      if (b.length() > 1) {
        b.append(',');
      }
      b.append('"').append(e.getKey()).append("\":");
      Object v = e.getValue();
      if (v instanceof String str) {
        b.append('"').append(str).append('"');
      } else if (v instanceof BigDecimal d) {
        b.append(d.toPlainString());
      } else {
        b.append(v);
      }
    }
    return b.append('}').toString();
  }

  /** Writes ticks, expected candles and counts under {@code out}. */
  public static DataSet write(Path out, TickGenerator generator) throws IOException {
    DataSet data = generator.generate();
    Path ticks = Files.createDirectories(out.resolve("ticks"));
    Path expected = Files.createDirectories(out.resolve("expected"));
    List<String> names = new ArrayList<>();
    for (int f = 0; f < data.files().size(); f++) {
      names.add(String.format("ticks-%03d.jsonl", f + 1));
      Files.write(ticks.resolve(names.get(f)), data.files().get(f), StandardCharsets.UTF_8);
    }
    Files.write(expected.resolve("tick-files.txt"), names, StandardCharsets.UTF_8);
    Files.write(expected.resolve("candles.jsonl"), ReferenceCandles.dailyCandles(data.ticks()),
        StandardCharsets.UTF_8);
    try (BufferedWriter w = Files.newBufferedWriter(expected.resolve("counts.properties"))) {
      w.write("lines=" + data.lines() + "\nticks=" + data.ticks().size() + "\nmalformed="
          + data.malformed() + "\n");
    }
    return data;
  }

  public static void main(String[] args) {
    Map<String, String> flags = new LinkedHashMap<>(Map.of(
        "out", "test-data", "symbols", "5", "days", "4", "ticksPerDay", "150", "files", "4",
        "malformedEvery", "97", "seed", "20240301", "start", "2024-03-01", "order", "shuffled", "lateEvery", "0"));
    flags.put("inputFormat", "ticker");
    flags.put("tradesPerDay", "2000");
    flags.put("duplicateEvery", "200");
    java.util.Set<String> given = new java.util.HashSet<>();
    if (java.util.Arrays.asList(args).contains("--help")) {
      System.out.println("generate: writes a tick data set, its expected candles and counts.");
      flags.forEach((k, v) -> System.out.println("  --" + k + "=<value>    Default: " + v));
      System.out.println("  --order: shuffled (across files and days) or time (event-time order, "
          + "up to 5 min of disorder); --lateEvery=N (with --order=time): every Nth tick 90 min "
          + "after its day's end");
      System.out.println("  --inputFormat=trade: a trade stream instead (Binance trade/aggTrade "
          + "JSON, bursts, repeated deliveries about 1 in --duplicateEvery, up to 5 --symbols, "
          + "about --tradesPerDay per symbol); ticker flags (--ticksPerDay, --order, --lateEvery) "
          + "do not apply");
      return;
    }
    for (String arg : args) {
      int eq = arg.indexOf('=');
      String name = arg.startsWith("--") && eq > 2 ? arg.substring(2, eq) : null;
      if (name == null || !flags.containsKey(name)) {
        System.err.println("unknown argument '" + arg + "': use --name=value with one of "
            + flags.keySet());
        System.exit(2);
      }
      flags.put(name, arg.substring(eq + 1));
      given.add(name);
    }
    try {
      if (flags.get("inputFormat").equals("trade")) {
        for (String tickerOnly : List.of("ticksPerDay", "order", "lateEvery")) {
          if (given.contains(tickerOnly)) {
            throw new IllegalArgumentException("--" + tickerOnly + " is for ticker data, not "
                + "--inputFormat=trade (use --tradesPerDay)");
          }
        }
        TradeGenerator t = new TradeGenerator(Long.parseLong(flags.get("seed")),
            Integer.parseInt(flags.get("symbols")), Integer.parseInt(flags.get("days")),
            Integer.parseInt(flags.get("tradesPerDay")), Integer.parseInt(flags.get("files")),
            Integer.parseInt(flags.get("malformedEvery")),
            Integer.parseInt(flags.get("duplicateEvery")), LocalDate.parse(flags.get("start")));
        TradeGenerator.DataSet data = TradeGenerator.write(Path.of(flags.get("out")), t);
        System.out.printf("wrote %d lines (%d trades, %d repeated, %d malformed) in %d files "
            + "under %s%n", data.lines(), data.trades().size(), data.duplicates(),
            data.malformed(), data.files().size(), flags.get("out"));
        return;
      } else if (!flags.get("inputFormat").equals("ticker")) {
        throw new IllegalArgumentException("--inputFormat must be ticker or trade");
      } else {
        for (String tradeOnly : List.of("tradesPerDay", "duplicateEvery")) {
          if (given.contains(tradeOnly)) {
            throw new IllegalArgumentException("--" + tradeOnly + " is for --inputFormat=trade");
          }
        }
      }
      TickGenerator g = new TickGenerator(Long.parseLong(flags.get("seed")),
          Integer.parseInt(flags.get("symbols")), Integer.parseInt(flags.get("days")),
          Integer.parseInt(flags.get("ticksPerDay")), Integer.parseInt(flags.get("files")),
          Integer.parseInt(flags.get("malformedEvery")), LocalDate.parse(flags.get("start")));
      if (flags.get("order").equals("time")) {
        g.inTimeOrder().withLateTicks(Integer.parseInt(flags.get("lateEvery")));
      } else if (!flags.get("order").equals("shuffled")) {
        throw new IllegalArgumentException("--order must be shuffled or time");
      }
      DataSet data = write(Path.of(flags.get("out")), g);
      System.out.printf("wrote %d lines (%d ticks, %d malformed) in %d files under %s%n",
          data.lines(), data.ticks().size(), data.malformed(), data.files().size(), flags.get("out"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (RuntimeException e) {
      System.err.println("cannot generate: " + e.getMessage());
      System.exit(2);
    }
  }
}
