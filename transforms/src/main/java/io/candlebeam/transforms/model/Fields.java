package io.candlebeam.transforms.model;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.beam.sdk.util.VarInt;

/** Field encodings shared by the hand-written coders: compact, null-aware, deterministic. */
final class Fields {
  private Fields() {}

  static void writeString(DataOutputStream out, String value) throws IOException {
    writeBytes(out, value == null ? null : value.getBytes(StandardCharsets.UTF_8));
  }

  static String readString(DataInputStream in) throws IOException {
    byte[] bytes = readBytes(in);
    return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
  }

  /** Null as 0, else the length + 1 and the bytes. */
  static void writeBytes(DataOutputStream out, byte[] bytes) throws IOException {
    if (bytes == null) {
      VarInt.encode(0, out);
      return;
    }
    VarInt.encode(bytes.length + 1, out);
    out.write(bytes);
  }

  static byte[] readBytes(DataInputStream in) throws IOException {
    int length = VarInt.decodeInt(in);
    if (length == 0) {
      return null;
    }
    byte[] bytes = new byte[length - 1];
    in.readFully(bytes);
    return bytes;
  }

  /** Writes a bit mask with bit i set when {@code values[i]} is non-null. */
  static void writePresence(DataOutputStream out, Object... values) throws IOException {
    int mask = 0;
    for (int i = 0; i < values.length; i++) {
      if (values[i] != null) {
        mask |= 1 << i;
      }
    }
    VarInt.encode(mask, out);
  }

  static void writeDouble(DataOutputStream out, Double value) throws IOException {
    if (value != null) {
      out.writeDouble(value);
    }
  }

  static Double readDouble(DataInputStream in, int mask, int bit) throws IOException {
    return (mask & (1 << bit)) != 0 ? in.readDouble() : null;
  }

  static void writeLong(DataOutputStream out, Long value) throws IOException {
    if (value != null) {
      VarInt.encode(value, out);
    }
  }

  static Long readLong(DataInputStream in, int mask, int bit) throws IOException {
    return (mask & (1 << bit)) != 0 ? VarInt.decodeLong(in) : null;
  }

  /** The pair count, then the pairs sorted by key (deterministic whatever the map's order). */
  static void writeMap(DataOutputStream out, Map<String, String> map) throws IOException {
    VarInt.encode(map.size(), out);
    if (map.isEmpty()) {
      return;
    }
    String[] keys = map.keySet().toArray(new String[0]);
    Arrays.sort(keys);
    for (String key : keys) {
      writeString(out, key);
      writeString(out, map.get(key));
    }
  }

  static Map<String, String> readMap(DataInputStream in) throws IOException {
    return readPairs(in, VarInt.decodeInt(in));
  }

  /** The pairs of a map whose count was read already. */
  static Map<String, String> readPairs(DataInputStream in, int size) throws IOException {
    if (size == 0) {
      return Map.of();
    }
    Map<String, String> map = new LinkedHashMap<>();
    for (int i = 0; i < size; i++) {
      map.put(readString(in), readString(in));
    }
    return map;
  }
}
