package io.candlebeam.transforms.model;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.Arrays;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.apache.beam.sdk.util.VarInt;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * The metadata of a record read from Kafka, kept as the fields the consumer gave ({@code
 * kafka.topic}, {@code kafka.partition}, {@code kafka.offset}, {@code kafka.timestamp}, {@code
 * kafka.key} when the record has a key, {@code header.<name>} per header, an empty value for a
 * header without one, the last of repeated names). It reads as an immutable string map, built on
 * first look: only dead letters and the toolkit's record views look, so the per-record cost on the
 * hot path is one object, and {@link RawRecordCoder} writes the fields, not the strings.
 */
public final class KafkaMetadata extends AbstractMap<String, String> implements Serializable {
  private static final long serialVersionUID = 1L;
  private final String topic;
  private final int partition;
  private final long offset;
  private final long timestamp;
  private final byte @Nullable [] key;
  private final String[] headerNames;
  private final byte[][] headerValues;
  private transient @Nullable Map<String, String> asMap;

  /** {@code headerValues[i]} may be null (a header without a value). */
  public KafkaMetadata(String topic, int partition, long offset, long timestamp,
      byte @Nullable [] key, String[] headerNames, byte[][] headerValues) {
    if (headerNames.length != headerValues.length) {
      throw new IllegalArgumentException("header names and values differ in number");
    }
    this.topic = topic;
    this.partition = partition;
    this.offset = offset;
    this.timestamp = timestamp;
    this.key = key;
    this.headerNames = headerNames;
    this.headerValues = headerValues;
  }

  /** Where the record came from: {@code topic/partition@offset}. */
  public String origin() {
    return topic + "/" + partition + "@" + offset;
  }

  @Override
  public Set<Entry<String, String>> entrySet() {
    Map<String, String> map = asMap;
    if (map == null) {
      TreeMap<String, String> m = new TreeMap<>();
      if (key != null) {
        m.put("kafka.key", new String(key, StandardCharsets.UTF_8));
      }
      m.put("kafka.topic", topic);
      m.put("kafka.partition", Integer.toString(partition));
      m.put("kafka.offset", Long.toString(offset));
      m.put("kafka.timestamp", Long.toString(timestamp));
      for (int i = 0; i < headerNames.length; i++) {
        byte[] v = headerValues[i];
        m.put("header." + headerNames[i], v == null ? "" : new String(v, StandardCharsets.UTF_8));
      }
      map = Collections.unmodifiableMap(m);
      asMap = map;
    }
    return map.entrySet();
  }

  void encode(DataOutputStream out) throws IOException {
    Fields.writeString(out, topic);
    VarInt.encode(partition, out);
    VarInt.encode(offset, out);
    VarInt.encode(timestamp, out);
    Fields.writeBytes(out, key);
    VarInt.encode(headerNames.length, out);
    for (int i = 0; i < headerNames.length; i++) {
      Fields.writeString(out, headerNames[i]);
      Fields.writeBytes(out, headerValues[i]);
    }
  }

  static KafkaMetadata decode(DataInputStream in) throws IOException {
    String topic = Fields.readString(in);
    int partition = VarInt.decodeInt(in);
    long offset = VarInt.decodeLong(in);
    long timestamp = VarInt.decodeLong(in);
    byte[] key = Fields.readBytes(in);
    int headers = VarInt.decodeInt(in);
    String[] names = new String[headers];
    byte[][] values = new byte[headers][];
    for (int i = 0; i < headers; i++) {
      names[i] = Fields.readString(in);
      values[i] = Fields.readBytes(in);
    }
    return new KafkaMetadata(topic, partition, offset, timestamp, key, names, values);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (o instanceof KafkaMetadata k && partition == k.partition && offset == k.offset
        && timestamp == k.timestamp && topic.equals(k.topic) && Arrays.equals(key, k.key)
        && Arrays.equals(headerNames, k.headerNames)
        && Arrays.deepEquals(headerValues, k.headerValues)) {
      return true; // the same fields, without building the maps
    }
    return super.equals(o); // as maps: equal to any map with the same entries
  }

  @Override
  public int hashCode() {
    return super.hashCode(); // equal to any map with the same entries
  }
}
