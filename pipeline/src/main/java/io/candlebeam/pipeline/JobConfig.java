package io.candlebeam.pipeline;

import io.candlebeam.pipeline.options.CandleOptions;
import io.candlebeam.pipeline.options.Durations;
import io.candlebeam.transforms.directory.WatchDirectorySource;
import io.candlebeam.transforms.jdbc.JdbcTarget;
import io.candlebeam.transforms.parse.MalformedRecordException;
import io.candlebeam.transforms.io.TickerCandles;
import io.candlebeam.transforms.io.TradeCandles;
import io.candlebeam.transforms.parse.TickParser;
import io.candlebeam.transforms.parse.TradeParser;
import io.candlebeam.transforms.words.WordEvent;
import java.nio.charset.StandardCharsets;
import org.apache.beam.sdk.transforms.SerializableFunction;
import io.candlebeam.transforms.window.OutputMode;
import io.candlebeam.transforms.window.WindowSpec;
import io.candlebeam.transforms.window.Windowing;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.joda.time.Duration;

/**
 * The job's settings as typed values, read once from the flags at the edge. Every invalid flag
 * becomes an {@link IllegalArgumentException} whose message names the fix.
 */
public record JobConfig(String job, String inputFormat, boolean dedup, boolean multiLine,
    boolean filesAsSource, String source,
    String input, String host,
    int port, Duration watermarkDelay, WatchDirectorySource.Settings watch, Windowing windowing, Set<String> sinks,
    String outputDir, boolean overwrite, KafkaConfig kafka, JdbcTarget jdbc, int jdbcRetryMinutes,
    ServeAt serve) {

  /** Where a streaming run serves its live page ({@code --serve}); null: it does not. */
  public record ServeAt(String host, int port) {}

  public static final List<String> JOBS = List.of("candles", "words", "devices", "records");
  public static final List<String> INPUT_FORMATS = List.of("ticker", "trade");
  public static final List<String> SOURCES = List.of("files", "kafka", "socket", "directory");
  public static final List<String> SINKS =
      List.of("console", "parquet", "json", "csv", "kafka", "jdbc");

  public JobConfig {
    if (!JOBS.contains(job)) {
      throw new IllegalArgumentException(
          "--job=" + job + " is not a job: use one of " + String.join(", ", JOBS));
    }
    if (!INPUT_FORMATS.contains(inputFormat)) {
      throw new IllegalArgumentException("--inputFormat=" + inputFormat
          + " is not an input format: use ticker (24h-ticker JSON) or trade (trade JSON)");
    }
    if (!job.equals("candles") && dedup) {
      throw new IllegalArgumentException("--dedup is for --job=candles");
    }
    if (!SOURCES.contains(source)) {
      throw new IllegalArgumentException(
          "--source=" + source + " is not a source: use one of " + String.join(", ", SOURCES));
    }
    for (String sink : sinks) {
      if (!SINKS.contains(sink)) {
        throw new IllegalArgumentException(
            "--sinks: '" + sink + "' is not a sink: use a comma list of " + String.join(", ", SINKS));
      }
    }
    if (outputDir == null || outputDir.isBlank()) {
      throw new IllegalArgumentException("--outputDir is empty: give a directory, e.g. --outputDir=out");
    }
    sinks = Set.copyOf(sinks);
    if (inputFormat.equals("ticker") && sinks.contains("jdbc")
        && windowing.windows().kind() == WindowSpec.Kind.TIMEFRAMES
        && windowing.windows().timeframes().size() > 1) {
      throw new IllegalArgumentException("--sinks=jdbc with several --timeframes needs "
          + "--inputFormat=trade: the ticker table " + jdbc.table() + " is keyed by (symbol, "
          + "window_start), without a timeframe; give one timeframe, or drop jdbc from --sinks");
    }
    if (serve != null && source.equals("files")) {
      throw new IllegalArgumentException("--serve is for streaming runs (--source=kafka, "
          + "directory or socket); after a batch run, `serve --from=" + outputDir
          + "` shows its candles");
    }
    if (serve != null && !(sinks.contains("json") || sinks.contains("parquet")
        || sinks.contains("jdbc"))) {
      throw new IllegalArgumentException("--serve reads the candles the run writes: add json, "
          + "parquet or jdbc to --sinks=" + String.join(",", sinks));
    }
  }

  /** Whether records are trades (OHLCV bars) rather than 24h-ticker snapshots. */
  public boolean trades() {
    return inputFormat.equals("trade");
  }

  /** How the ticker job's candles look in the sinks: the seed's layout, or with timeframes. */
  public TickerCandles tickerFormat() {
    return windowing.windows().kind() == WindowSpec.Kind.TIMEFRAMES
        ? TickerCandles.withTimeframes() : TickerCandles.seed();
  }

  /** Whether the source is unbounded (a streaming run). */
  public boolean streaming() {
    return !source.equals("files");
  }

  /** The event time (epoch ms) of one payload of this job, or null if it has none. */
  public SerializableFunction<String, Long> eventTime() {
    return switch (job) {
      case "candles" -> {
        SerializableFunction<byte[], Long> ofBytes = candleTimeOfBytes();
        yield p -> ofBytes.apply(p.getBytes(StandardCharsets.UTF_8));
      }
      case "words" -> p -> {
        try {
          return WordEvent.parser().parse(p).eventTime();
        } catch (MalformedRecordException e) {
          return null;
        }
      };
      default -> p -> null;
    };
  }

  /** {@link #eventTime} of a payload's UTF-8 bytes (Kafka's), without making a string first. */
  public SerializableFunction<byte[], Long> eventTimeOfBytes() {
    if (job.equals("candles")) {
      return candleTimeOfBytes();
    }
    SerializableFunction<String, Long> ofText = eventTime();
    return bytes -> ofText.apply(new String(bytes, StandardCharsets.UTF_8));
  }

  private SerializableFunction<byte[], Long> candleTimeOfBytes() {
    return trades() ? TradeParser::tradeTimeOf : TickParser::eventTimeOf;
  }

  public static JobConfig from(CandleOptions o) {
    String inputFormat = o.getInputFormat().trim().toLowerCase();
    boolean dedup = o.getDedup() == null
        ? inputFormat.equals("trade") && o.getJob().trim().equalsIgnoreCase("candles")
        : o.getDedup();
    return new JobConfig(o.getJob().trim().toLowerCase(), inputFormat, dedup, o.getMultiLine(),
        o.getFilesAsSource(), o.getSource().trim().toLowerCase(), o.getInput(), o.getHost(), o.getPort(),
        Durations.parse("watermarkDelay", o.getWatermarkDelay()), watch(o),
        windowing(o),
        sinks(o.getSinks()), o.getOutputDir(), o.getOverwrite(), KafkaConfig.from(o),
        jdbc(o, inputFormat.equals("trade") ? TradeCandles.DEFAULT_TABLE : "crypto_daily_stats"),
        o.getJdbcRetryMinutes(),
        o.getServe() ? new ServeAt(o.getServeHost(), o.getServePort()) : null);
  }

  static WatchDirectorySource.Settings watch(CandleOptions o) {
    WatchDirectorySource.CleanSource clean;
    try {
      clean = WatchDirectorySource.CleanSource.valueOf(o.getCleanSource().trim().toUpperCase());
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "--cleanSource=" + o.getCleanSource() + " is not off, delete or archive");
    }
    if (clean == WatchDirectorySource.CleanSource.ARCHIVE && o.getSourceArchiveDir() == null) {
      throw new IllegalArgumentException("--cleanSource=archive needs --sourceArchiveDir");
    }
    if (o.getMaxFilesPerTrigger() < 0) {
      throw new IllegalArgumentException("--maxFilesPerTrigger must be >= 0 (0: no limit)");
    }
    return WatchDirectorySource.Settings.of(o.getInput())
        .withFiles(o.getFilePattern(), o.getMultiLine())
        .withTrigger(o.getMaxFilesPerTrigger(), o.getAvailableNow())
        .withCleanup(clean, o.getSourceArchiveDir(),
            Durations.parse("watermarkDelay", o.getWatermarkDelay()));
  }

  /** The ticker table (see {@link #jdbc(io.candlebeam.pipeline.options.JdbcOptions, String)}). */
  public static JdbcTarget jdbc(io.candlebeam.pipeline.options.JdbcOptions o) {
    return jdbc(o, "crypto_daily_stats");
  }

  /**
   * The PostgreSQL target, {@code --jdbcTable} or else {@code defaultTable}; the password comes
   * from the file if given, else from PGPASSWORD.
   */
  public static JdbcTarget jdbc(io.candlebeam.pipeline.options.JdbcOptions o, String defaultTable) {
    String table = o.getJdbcTable() == null ? defaultTable : o.getJdbcTable();
    if (!JdbcTarget.isPlainIdentifier(table)) {
      throw new IllegalArgumentException("--jdbcTable=" + table
          + " is not a plain SQL identifier: use letters, digits and _, e.g. crypto_daily_stats");
    }
    if (!JdbcTarget.isJdbcUrl(o.getJdbcUrl())) {
      throw new IllegalArgumentException("--jdbcUrl=" + o.getJdbcUrl()
          + " is not a JDBC URL, e.g. jdbc:postgresql://localhost:5432/candlebeam");
    }
    return new JdbcTarget(o.getJdbcUrl(), o.getJdbcUser(), o.getJdbcPasswordFile(),
        o.getJdbcPasswordFile() == null ? "PGPASSWORD" : null, table);
  }

  static Windowing windowing(CandleOptions o) {
    WindowSpec windows;
    try {
      if (o.getTimeframes() != null) {
        if (o.getSessionGap() != null || o.getWindowPeriod() != null) {
          throw new IllegalArgumentException("--timeframes excludes --sessionGap and "
              + "--windowPeriod: timeframes are tumbling windows");
        }
        windows = WindowSpec.timeframes(timeframes(o.getTimeframes()));
      } else if (o.getSessionGap() != null) {
        if (o.getWindowPeriod() != null) {
          throw new IllegalArgumentException(
              "--sessionGap and --windowPeriod exclude each other: sessions have no period");
        }
        windows = WindowSpec.sessions(Durations.parse("sessionGap", o.getSessionGap()),
            gapsByKey(o.getSessionGapFor()));
      } else if (o.getSessionGapFor() != null) {
        throw new IllegalArgumentException("--sessionGapFor needs --sessionGap (the default gap)");
      } else if (o.getWindowPeriod() != null) {
        windows = WindowSpec.sliding(Durations.parse("windowSize", o.getWindowSize()),
            Durations.parse("windowPeriod", o.getWindowPeriod()));
      } else {
        windows = WindowSpec.tumbling(Durations.parse("windowSize", o.getWindowSize()));
      }
      return new Windowing(windows, OutputMode.parse(o.getOutputMode()),
          Durations.parse("allowedLateness", o.getAllowedLateness()),
          Durations.parse("triggerInterval", o.getTriggerInterval()),
          Duration.millis(o.getTriggerCheckMillis()));
    } catch (IllegalArgumentException e) {
      throw e.getMessage().startsWith("--") ? e
          : new IllegalArgumentException("window flags: " + e.getMessage(), e);
    }
  }

  static List<Duration> timeframes(String text) {
    List<Duration> frames = new java.util.ArrayList<>();
    for (String f : text.split(",")) {
      if (!f.isBlank()) {
        frames.add(Durations.parse("timeframes", f.trim()));
      }
    }
    if (frames.isEmpty()) {
      throw new IllegalArgumentException("--timeframes is empty: give a comma list, e.g. 1m,1h,1d");
    }
    try {
      return io.candlebeam.transforms.window.Timeframes.of(frames).sizes();
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("--timeframes: " + e.getMessage(), e);
    }
  }

  static Map<String, Duration> gapsByKey(String text) {
    Map<String, Duration> gaps = new LinkedHashMap<>();
    if (text == null || text.isBlank()) {
      return gaps;
    }
    for (String pair : text.split(",")) {
      String[] kv = pair.split("=", 2);
      if (kv.length != 2 || kv[0].isBlank()) {
        throw new IllegalArgumentException(
            "--sessionGapFor: '" + pair + "' is not KEY=DURATION, e.g. BTCUSDT=20m");
      }
      gaps.put(kv[0].trim(), Durations.parse("sessionGapFor", kv[1]));
    }
    return gaps;
  }

  static Set<String> sinks(String text) {
    Set<String> sinks = new LinkedHashSet<>();
    for (String s : (text == null ? "" : text).split(",")) {
      if (!s.isBlank()) {
        sinks.add(s.trim().toLowerCase());
      }
    }
    return sinks;
  }
}
