package io.candlebeam.transforms;

import io.candlebeam.transforms.model.Candle;
import io.candlebeam.transforms.model.RawRecord;
import io.candlebeam.transforms.model.RawRecordCoder;
import io.candlebeam.transforms.model.Tick;
import io.candlebeam.transforms.window.Windowing;
import java.util.Map;
import java.util.StringJoiner;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptor;

/**
 * The two ways this library turns ticks into candles, so one test checks both: the stages apart
 * ({@link CalculateCandles} on parsed ticks) and the job's fused hot path ({@link
 * ParseAndCalculateCandles} on the ticks' JSON, each record keeping its tick's timestamp).
 */
public enum CandlePath {
  STAGES {
    @Override
    PTransform<PCollection<Tick>, PCollection<Candle>> calculate(Windowing windowing) {
      return new CalculateCandles(windowing);
    }
  },
  FUSED {
    @Override
    PTransform<PCollection<Tick>, PCollection<Candle>> calculate(Windowing windowing) {
      return new PTransform<>() {
        @Override
        public PCollection<Candle> expand(PCollection<Tick> ticks) {
          return ticks
              .apply("AsJson", MapElements.into(TypeDescriptor.of(RawRecord.class))
                  .via(t -> new RawRecord(json(t), "test", Map.of())))
              .setCoder(RawRecordCoder.of())
              .apply(ParseAndCalculateCandles.ticks(windowing))
              .get(ParseAndCalculateCandles.CANDLES);
        }
      };
    }
  };

  abstract PTransform<PCollection<Tick>, PCollection<Candle>> calculate(Windowing windowing);

  /** A tick as the ticker JSON line it was parsed from (absent fields left out). */
  static String json(Tick t) {
    StringJoiner j = new StringJoiner(",", "{", "}");
    j.add("\"symbol\":\"" + t.symbol() + "\"").add("\"event_time\":" + t.eventTime())
        .add("\"price\":" + t.price());
    field(j, "open", t.open());
    field(j, "high", t.high());
    field(j, "low", t.low());
    field(j, "volume", t.volume());
    field(j, "quote_volume", t.quoteVolume());
    field(j, "number_trades", t.numberTrades());
    field(j, "price_change", t.priceChange());
    field(j, "price_change_percent", t.priceChangePercent());
    if (t.timestamp() != null) {
      j.add("\"timestamp\":\"" + t.timestamp() + "\"");
    }
    return j.toString();
  }

  private static void field(StringJoiner j, String name, Object value) {
    if (value != null) {
      j.add("\"" + name + "\":" + value);
    }
  }
}
