package io.candlebeam.transforms.model;

import static io.candlebeam.transforms.model.Fields.*;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.util.VarInt;

/** A compact, deterministic coder for {@link Tick}. */
public final class TickCoder extends AtomicCoder<Tick> {
  private static final TickCoder INSTANCE = new TickCoder();

  public static TickCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(Tick t, OutputStream os) throws IOException {
    EncodeBuffer out = new EncodeBuffer(128);
    writeString(out, t.symbol());
    VarInt.encode(t.eventTime(), out);
    out.writeDouble(t.price());
    writePresence(out, t.open(), t.high(), t.low(), t.volume(), t.quoteVolume(), t.numberTrades(),
        t.priceChange(), t.priceChangePercent());
    writeDouble(out, t.open());
    writeDouble(out, t.high());
    writeDouble(out, t.low());
    writeDouble(out, t.volume());
    writeDouble(out, t.quoteVolume());
    writeLong(out, t.numberTrades());
    writeDouble(out, t.priceChange());
    writeDouble(out, t.priceChangePercent());
    writeString(out, t.timestamp());
    out.writeTo(os);
  }

  @Override
  public Tick decode(InputStream is) throws IOException {
    DataInputStream in = new DataInputStream(is);
    String symbol = readString(in);
    long eventTime = VarInt.decodeLong(in);
    double price = in.readDouble();
    int mask = VarInt.decodeInt(in);
    return new Tick(symbol, eventTime, price,
        readDouble(in, mask, 0), readDouble(in, mask, 1), readDouble(in, mask, 2),
        readDouble(in, mask, 3), readDouble(in, mask, 4), readLong(in, mask, 5),
        readDouble(in, mask, 6), readDouble(in, mask, 7), readString(in));
  }

  @Override
  public void verifyDeterministic() {}
}
