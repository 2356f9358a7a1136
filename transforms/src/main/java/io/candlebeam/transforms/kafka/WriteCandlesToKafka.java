package io.candlebeam.transforms.kafka;

import io.candlebeam.transforms.io.CandleJson;
import io.candlebeam.transforms.model.Candle;
import java.time.Instant;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;
import org.apache.beam.sdk.values.TypeDescriptors;

/**
 * Candles to a Kafka topic, one JSON candle per record, keyed {@code <symbol>|<window start ISO>}:
 * on a compacted topic the latest record per key is the latest pane of that candle. Every pane
 * carries {@code pane_timing} and {@code pane_index}, so a consumer keeps the highest index per key
 * and ignores repeats (at least once), or sees each pane once ({@link WriteToKafka#exactlyOnce}).
 */
public final class WriteCandlesToKafka extends PTransform<PCollection<Candle>, PDone> {
  private final WriteToKafka sink;

  public WriteCandlesToKafka(WriteToKafka sink) {
    this.sink = sink;
  }

  public static String key(Candle c) {
    return c.symbol() + "|" + Instant.ofEpochMilli(c.windowStart());
  }

  @Override
  public PDone expand(PCollection<Candle> candles) {
    return candles
        .apply("ToKeyedJson", MapElements
            .into(TypeDescriptors.kvs(TypeDescriptors.strings(), TypeDescriptors.strings()))
            .via((Candle c) -> KV.of(key(c), CandleJson.toJson(c))))
        .setCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of()))
        .apply("WriteKafka", sink);
  }
}
