package io.candlebeam.transforms.combine;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import io.candlebeam.transforms.model.Decimals;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.util.VarInt;

/** Encodes an {@link OhlcAccumulator} exactly, sums included (this is what Spark checkpoints). */
public final class OhlcAccumulatorCoder extends AtomicCoder<OhlcAccumulator> {
  private static final OhlcAccumulatorCoder INSTANCE = new OhlcAccumulatorCoder();
  private static final int OPEN = 1, HIGH = 2, LOW = 4, VOLUME = 8, QUOTE = 16, TRADES = 32;

  public static OhlcAccumulatorCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(OhlcAccumulator a, OutputStream os) throws IOException {
    DataOutputStream out = new DataOutputStream(os);
    VarInt.encode(a.count, out);
    if (a.count == 0) {
      return;
    }
    Decimals.write(out, a.priceSum);
    int mask = (a.hasOpen ? OPEN : 0) | (Double.isNaN(a.high) ? 0 : HIGH)
        | (Double.isNaN(a.low) ? 0 : LOW) | (a.volume == null ? 0 : VOLUME)
        | (a.quoteVolume == null ? 0 : QUOTE) | (a.hasTrades ? TRADES : 0);
    out.writeByte(mask);
    VarInt.encode(a.closeTime, out);
    out.writeDouble(a.close);
    if (a.hasOpen) {
      VarInt.encode(a.openTime, out);
      out.writeDouble(a.open);
    }
    if ((mask & HIGH) != 0) {
      out.writeDouble(a.high);
    }
    if ((mask & LOW) != 0) {
      out.writeDouble(a.low);
    }
    if (a.volume != null) {
      Decimals.write(out, a.volume);
    }
    if (a.quoteVolume != null) {
      Decimals.write(out, a.quoteVolume);
    }
    if (a.hasTrades) {
      VarInt.encode(a.trades, out);
    }
  }

  @Override
  public OhlcAccumulator decode(InputStream is) throws IOException {
    DataInputStream in = new DataInputStream(is);
    OhlcAccumulator a = new OhlcAccumulator();
    a.count = VarInt.decodeLong(in);
    if (a.count == 0) {
      return a;
    }
    a.priceSum = Decimals.read(in);
    int mask = in.readUnsignedByte();
    a.closeTime = VarInt.decodeLong(in);
    a.close = in.readDouble();
    if ((mask & OPEN) != 0) {
      a.hasOpen = true;
      a.openTime = VarInt.decodeLong(in);
      a.open = in.readDouble();
    }
    if ((mask & HIGH) != 0) {
      a.high = in.readDouble();
    }
    if ((mask & LOW) != 0) {
      a.low = in.readDouble();
    }
    if ((mask & VOLUME) != 0) {
      a.volume = Decimals.read(in);
    }
    if ((mask & QUOTE) != 0) {
      a.quoteVolume = Decimals.read(in);
    }
    if ((mask & TRADES) != 0) {
      a.hasTrades = true;
      a.trades = VarInt.decodeLong(in);
    }
    return a;
  }

  @Override
  public void verifyDeterministic() {}
}
