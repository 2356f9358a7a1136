package io.candlebeam.transforms.model;

import java.io.Serializable;
import java.util.Map;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.joda.time.Instant;

/**
 * One raw input record before parsing: the payload text, where it came from (for example {@code
 * ticks.jsonl:17} or {@code crypto-prices/0@1234}), source metadata such as a Kafka key, headers,
 * partition and offset (dead letters carry all three), and the watermark its reader had reported
 * when it read the record ({@link #readWatermark}): what the late-data check judges it by.
 */
@DefaultCoder(RawRecordCoder.class)
public record RawRecord(String payload, String origin, Map<String, String> metadata,
    long watermarkAtRead) implements Serializable {
  /** {@link #watermarkAtRead} of a record from a source without a watermark (bounded input). */
  public static final long NO_WATERMARK = Long.MIN_VALUE;

  public RawRecord {
    metadata = metadata == null ? Map.of()
        : metadata instanceof KafkaMetadata ? metadata // immutable, and built lazily
        : Map.copyOf(metadata);
  }

  public RawRecord(String payload, String origin, Map<String, String> metadata) {
    this(payload, origin, metadata, NO_WATERMARK);
  }

  public static RawRecord of(String payload, String origin) {
    return new RawRecord(payload, origin, Map.of());
  }

  /** This record as read under {@code watermark}. */
  public RawRecord withReadWatermark(Instant watermark) {
    return new RawRecord(payload, origin, metadata, watermark.getMillis());
  }

  /** The watermark its reader had reported when it read this record (the beginning of time if none). */
  public Instant readWatermark() {
    return watermarkAtRead <= BoundedWindow.TIMESTAMP_MIN_VALUE.getMillis()
        ? BoundedWindow.TIMESTAMP_MIN_VALUE : new Instant(watermarkAtRead);
  }
}
