package io.candlebeam.transforms.model;

import java.io.Serializable;
import java.util.Map;
import org.apache.beam.sdk.coders.DefaultCoder;

/**
 * One raw input record before parsing: the payload text, where it came from (for example {@code
 * ticks.jsonl:17} or {@code crypto-prices/0@1234}), and source metadata such as a Kafka key,
 * headers, partition and offset. Dead letters carry all three.
 */
@DefaultCoder(RawRecordCoder.class)
public record RawRecord(String payload, String origin, Map<String, String> metadata)
    implements Serializable {

  public RawRecord {
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
  }

  public static RawRecord of(String payload, String origin) {
    return new RawRecord(payload, origin, Map.of());
  }
}
