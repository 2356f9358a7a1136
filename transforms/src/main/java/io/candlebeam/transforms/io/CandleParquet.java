package io.candlebeam.transforms.io;

import io.candlebeam.transforms.model.Candle;
import java.io.IOException;
import java.nio.channels.WritableByteChannel;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.parquet.ParquetIO;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;

/**
 * Candles as Parquet rows: the seed's columns ({@code date} as a UTC timestamp-millis, the daily_*
 * aggregates, {@code total_trades}, {@code tick_count}, {@code avg_price}), then {@code window_end},
 * {@code pane_timing}, {@code pane_index}, {@code is_final}. Snappy-compressed, as Spark writes.
 */
public final class CandleParquet {
  public static final Schema SCHEMA = schema();

  private CandleParquet() {}

  private static Schema schema() {
    Schema timestamp = LogicalTypes.timestampMillis().addToSchema(Schema.create(Schema.Type.LONG));
    return SchemaBuilder.record("Candle").namespace("io.candlebeam").fields()
        .name("date").type(timestamp).noDefault()
        .requiredString("symbol")
        .optionalDouble("daily_open")
        .optionalDouble("daily_high")
        .optionalDouble("daily_low")
        .requiredDouble("daily_close")
        .optionalDouble("daily_volume")
        .optionalDouble("daily_quote_volume")
        .optionalLong("total_trades")
        .requiredLong("tick_count")
        .requiredDouble("avg_price")
        .name("window_end").type(timestamp).noDefault()
        .requiredString("pane_timing")
        .requiredLong("pane_index")
        .requiredBoolean("is_final")
        .endRecord();
  }

  public static GenericRecord toRecord(Candle c) {
    GenericData.Record r = new GenericData.Record(SCHEMA);
    r.put("date", c.windowStart());
    r.put("symbol", c.symbol());
    r.put("daily_open", c.open());
    r.put("daily_high", c.high());
    r.put("daily_low", c.low());
    r.put("daily_close", c.close());
    r.put("daily_volume", c.volume());
    r.put("daily_quote_volume", c.quoteVolume());
    r.put("total_trades", c.totalTrades());
    r.put("tick_count", c.tickCount());
    r.put("avg_price", c.avgPrice());
    r.put("window_end", c.windowEnd());
    r.put("pane_timing", c.paneTiming());
    r.put("pane_index", c.paneIndex());
    r.put("is_final", c.isFinal());
    return r;
  }

  public static Candle fromRecord(GenericRecord r) {
    return new Candle(
        r.get("symbol").toString(),
        (Long) r.get("date"),
        (Long) r.get("window_end"),
        (Double) r.get("daily_open"),
        (Double) r.get("daily_high"),
        (Double) r.get("daily_low"),
        (Double) r.get("daily_close"),
        (Double) r.get("daily_volume"),
        (Double) r.get("daily_quote_volume"),
        (Long) r.get("total_trades"),
        (Long) r.get("tick_count"),
        (Double) r.get("avg_price"),
        r.get("pane_timing").toString(),
        (Long) r.get("pane_index"),
        (Boolean) r.get("is_final"));
  }

  /** A {@link FileIO.Sink} of candles of any kind over ParquetIO's sink, in {@code format}'s schema. */
  public static <C> FileIO.Sink<C> sink(CandleFormat<C> format) {
    return new Sink<>(format);
  }

  private static final class Sink<C> implements FileIO.Sink<C> {
    private final CandleFormat<C> format;
    private transient ParquetIO.Sink parquet;

    Sink(CandleFormat<C> format) {
      this.format = format;
    }

    @Override
    public void open(WritableByteChannel channel) throws IOException {
      parquet = ParquetIO.sink(format.parquetSchema())
          .withCompressionCodec(CompressionCodecName.SNAPPY);
      parquet.open(channel);
    }

    @Override
    public void write(C element) throws IOException {
      parquet.write(format.toRecord(element));
    }

    @Override
    public void flush() throws IOException {
      parquet.flush();
    }
  }
}
