package io.candlebeam.transforms.kafka;

import io.candlebeam.transforms.io.CandleFormat;
import io.candlebeam.transforms.io.TickerCandles;
import io.candlebeam.transforms.model.Candle;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Candles to a Kafka topic, one JSON candle per record, keyed by candle ({@link
 * CandleFormat#kafkaKey}: {@code <symbol>|<window start ISO>}, with the timeframe between them when
 * there are several): on a compacted topic the latest record per key is the latest pane of that
 * candle. Every pane carries {@code pane_timing} and {@code pane_index}, so a consumer keeps the
 * highest index per key and ignores repeats (at least once), or sees each pane once ({@link
 * WriteToKafka#exactlyOnce}).
 */
public final class WriteCandlesToKafka<C> extends PTransform<PCollection<C>, PDone> {
  private final WriteToKafka sink;
  private final CandleFormat<C> format;

  public WriteCandlesToKafka(WriteToKafka sink, CandleFormat<C> format) {
    this.sink = sink;
    this.format = format;
  }

  /** The key of a ticker candle of the seed's layout. */
  public static String key(Candle c) {
    return TickerCandles.seed().kafkaKey(c);
  }

  @Override
  public PDone expand(PCollection<C> candles) {
    CandleFormat<C> f = format;
    return candles
        .apply("ToKeyedJson", MapElements
            .into(TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.strings()))
            .via((C c) -> KV.of(f.kafkaKey(c), f.toJson(c))))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()))
        .apply("WriteKafka", sink);
  }
}
