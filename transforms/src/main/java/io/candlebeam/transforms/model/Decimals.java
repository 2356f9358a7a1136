package io.candlebeam.transforms.model;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import org.apache.beam.sdk.util.VarInt;

/** Exact, deterministic encoding of {@link BigDecimal}s for the hand-written coders. */
public final class Decimals {
  private Decimals() {}

  /** Scale, then the unscaled value's two's-complement bytes. */
  public static void write(DataOutputStream out, BigDecimal d) throws IOException {
    VarInt.encode(d.scale(), out);
    byte[] unscaled = d.unscaledValue().toByteArray();
    VarInt.encode(unscaled.length, out);
    out.write(unscaled);
  }

  public static BigDecimal read(DataInputStream in) throws IOException {
    int scale = VarInt.decodeInt(in);
    byte[] unscaled = new byte[VarInt.decodeInt(in)];
    in.readFully(unscaled);
    return new BigDecimal(new BigInteger(unscaled), scale);
  }
}
