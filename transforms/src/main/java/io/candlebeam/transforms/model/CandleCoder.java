package io.candlebeam.transforms.model;

import static io.candlebeam.transforms.model.Fields.*;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.util.VarInt;

/** A compact, deterministic coder for {@link Candle}. */
public final class CandleCoder extends AtomicCoder<Candle> {
  private static final CandleCoder INSTANCE = new CandleCoder();

  public static CandleCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(Candle c, OutputStream os) throws IOException {
    EncodeBuffer out = new EncodeBuffer(128);
    writeString(out, c.symbol());
    VarInt.encode(c.windowStart(), out);
    VarInt.encode(c.windowEnd(), out);
    writePresence(out, c.open(), c.high(), c.low(), c.volume(), c.quoteVolume(), c.totalTrades());
    writeDouble(out, c.open());
    writeDouble(out, c.high());
    writeDouble(out, c.low());
    writeDouble(out, c.volume());
    writeDouble(out, c.quoteVolume());
    writeLong(out, c.totalTrades());
    out.writeDouble(c.close());
    VarInt.encode(c.tickCount(), out);
    out.writeDouble(c.avgPrice());
    writeString(out, c.paneTiming());
    VarInt.encode(c.paneIndex(), out);
    out.writeBoolean(c.isFinal());
    out.writeTo(os);
  }

  @Override
  public Candle decode(InputStream is) throws IOException {
    DataInputStream in = new DataInputStream(is);
    String symbol = readString(in);
    long start = VarInt.decodeLong(in);
    long end = VarInt.decodeLong(in);
    int mask = VarInt.decodeInt(in);
    Double open = readDouble(in, mask, 0);
    Double high = readDouble(in, mask, 1);
    Double low = readDouble(in, mask, 2);
    Double volume = readDouble(in, mask, 3);
    Double quoteVolume = readDouble(in, mask, 4);
    Long trades = readLong(in, mask, 5);
    double close = in.readDouble();
    long count = VarInt.decodeLong(in);
    double avg = in.readDouble();
    String timing = readString(in);
    long index = VarInt.decodeLong(in);
    boolean last = in.readBoolean();
    return new Candle(symbol, start, end, open, high, low, close, volume, quoteVolume, trades,
        count, avg, timing, index, last);
  }

  @Override
  public void verifyDeterministic() {}
}
