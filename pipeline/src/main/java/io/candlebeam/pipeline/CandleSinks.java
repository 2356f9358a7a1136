package io.candlebeam.pipeline;

import io.candlebeam.transforms.io.CandleFormat;
import io.candlebeam.transforms.io.PrintCandleTable;
import io.candlebeam.transforms.io.TradeCandles;
import io.candlebeam.transforms.io.WriteCandles;
import io.candlebeam.transforms.io.WriteDeadLetters;
import io.candlebeam.transforms.jdbc.UpsertCandles;
import io.candlebeam.transforms.kafka.WriteCandlesToKafka;
import io.candlebeam.transforms.model.Candle;
import io.candlebeam.transforms.model.DeadLetter;
import io.candlebeam.transforms.model.TradeCandle;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;

/**
 * The writes of one run, by name: candle sinks (any number, fed from the one candle stream), the
 * dead-letter sink (records that do not parse) and the late-data sink (records that came after
 * their windows closed). Tests pass their own (or none) and assert on the pipeline's outputs.
 */
public record CandleSinks<C>(Map<String, PTransform<PCollection<C>, PDone>> candles,
    PTransform<PCollection<DeadLetter>, PDone> deadLetters,
    PTransform<PCollection<DeadLetter>, PDone> tooLate) {

  /** The folders under {@code outputDir} that the file sinks own. */
  public static final List<String> FOLDERS =
      List.of("parquet", "json", "csv", "deadletter", "late");

  /** The sinks a ticker job's config asks for. */
  public static CandleSinks<Candle> from(JobConfig config) {
    return of(config, config.tickerFormat());
  }

  /** The sinks a trade job's config asks for. */
  public static CandleSinks<TradeCandle> forTrades(JobConfig config) {
    return of(config, new TradeCandles());
  }

  private static <C> CandleSinks<C> of(JobConfig config, CandleFormat<C> format) {
    String dir = config.outputDir().endsWith("/") ? config.outputDir() : config.outputDir() + "/";
    Map<String, PTransform<PCollection<C>, PDone>> candles = new LinkedHashMap<>();
    for (String sink : JobConfig.SINKS) {
      if (config.sinks().contains(sink)) {
        candles.put(sink, switch (sink) {
          case "console" -> new PrintCandleTable<>(format);
          case "parquet" -> WriteCandles.parquet(dir + "parquet", format);
          case "json" -> WriteCandles.json(dir + "json", format);
          case "csv" -> WriteCandles.csv(dir + "csv", format);
          case "jdbc" -> new UpsertCandles<>(config.jdbc(), config.jdbcRetryMinutes(), format);
          case "kafka" -> new WriteCandlesToKafka<>(config.kafka().sink(), format);
          default -> throw new IllegalArgumentException("no sink " + sink);
        });
      }
    }
    return new CandleSinks<>(candles, WriteDeadLetters.json(dir + "deadletter"),
        WriteDeadLetters.json(dir + "late", "late"));
  }
}
