package io.candlebeam.transforms.dedup;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import java.util.TreeMap;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.util.VarInt;

/**
 * The ids of one key seen so far, as disjoint ranges {@code [first, last]}, each with the latest
 * event time of its ids. Exchange trade ids are consecutive per symbol, so a day of trades is one
 * range: the state stays a few numbers however many trades pass. Ranges whose latest event time is
 * past the horizon are forgotten ({@link #forgetIf}).
 */
public final class SeenIds {
  /** first id → {last id, latest event time}. */
  private final TreeMap<Long, long[]> ranges = new TreeMap<>();

  /** Adds {@code id}; false if it was already there (a duplicate). */
  public boolean add(long id, long eventTime) {
    Map.Entry<Long, long[]> below = ranges.floorEntry(id);
    if (below != null && below.getValue()[0] >= id) {
      return false;
    }
    boolean joinsBelow = below != null && below.getValue()[0] == id - 1;
    Map.Entry<Long, long[]> above = id == Long.MAX_VALUE ? null : ranges.ceilingEntry(id + 1);
    boolean joinsAbove = above != null && above.getKey() == id + 1;
    if (joinsBelow && joinsAbove) {
      below.getValue()[0] = above.getValue()[0];
      below.getValue()[1] = Math.max(Math.max(below.getValue()[1], above.getValue()[1]), eventTime);
      ranges.remove(above.getKey());
    } else if (joinsBelow) {
      below.getValue()[0] = id;
      below.getValue()[1] = Math.max(below.getValue()[1], eventTime);
    } else if (joinsAbove) {
      ranges.remove(above.getKey());
      ranges.put(id, new long[] {above.getValue()[0], Math.max(above.getValue()[1], eventTime)});
    } else {
      ranges.put(id, new long[] {id, eventTime});
    }
    return true;
  }

  /** Forgets every range whose latest event time passes {@code expired}; how many. */
  public int forgetIf(java.util.function.LongPredicate expired) {
    int before = ranges.size();
    ranges.values().removeIf(r -> expired.test(r[1]));
    return before - ranges.size();
  }

  public int ranges() {
    return ranges.size();
  }

  public boolean isEmpty() {
    return ranges.isEmpty();
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("SeenIds{");
    ranges.forEach((first, r) -> b.append('[').append(first).append("..").append(r[0])
        .append(" @").append(r[1]).append(']'));
    return b.append('}').toString();
  }

  /** Encodes the ranges (delta-encoded ids). */
  public static final class Coder extends AtomicCoder<SeenIds> {
    private static final Coder INSTANCE = new Coder();

    public static Coder of() {
      return INSTANCE;
    }

    @Override
    public void encode(SeenIds s, OutputStream out) throws IOException {
      VarInt.encode(s.ranges.size(), out);
      for (Map.Entry<Long, long[]> e : s.ranges.entrySet()) {
        VarInt.encode(e.getKey(), out);
        VarInt.encode(e.getValue()[0] - e.getKey(), out);
        VarInt.encode(e.getValue()[1], out);
      }
    }

    @Override
    public SeenIds decode(InputStream in) throws IOException {
      SeenIds s = new SeenIds();
      int n = VarInt.decodeInt(in);
      for (int i = 0; i < n; i++) {
        long first = VarInt.decodeLong(in);
        long last = first + VarInt.decodeLong(in);
        s.ranges.put(first, new long[] {last, VarInt.decodeLong(in)});
      }
      return s;
    }

    @Override
    public void verifyDeterministic() {}
  }
}
