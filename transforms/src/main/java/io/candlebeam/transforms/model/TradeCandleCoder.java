package io.candlebeam.transforms.model;

import static io.candlebeam.transforms.model.Fields.readString;
import static io.candlebeam.transforms.model.Fields.writeString;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.math.BigDecimal;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.util.VarInt;

/** A deterministic coder for {@link TradeCandle}; decimals exactly. */
public final class TradeCandleCoder extends AtomicCoder<TradeCandle> {
  private static final TradeCandleCoder INSTANCE = new TradeCandleCoder();

  public static TradeCandleCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(TradeCandle c, OutputStream os) throws IOException {
    EncodeBuffer out = new EncodeBuffer(160);
    writeString(out, c.symbol());
    out.writeLong(c.windowStart());
    out.writeLong(c.windowEnd());
    for (BigDecimal d : new BigDecimal[] {c.open(), c.high(), c.low(), c.close()}) {
      Decimals.write(out, d);
    }
    for (long t : new long[] {c.openTime(), c.highTime(), c.lowTime(), c.closeTime()}) {
      VarInt.encode(t, out);
    }
    for (BigDecimal d : new BigDecimal[] {
        c.volume(), c.quoteVolume(), c.buyVolume(), c.sellVolume(), c.vwap()}) {
      Decimals.write(out, d);
    }
    for (long n : new long[] {c.trades(), c.records(), c.firstTradeId(), c.lastTradeId()}) {
      VarInt.encode(n, out);
    }
    writeString(out, c.paneTiming());
    VarInt.encode(c.paneIndex(), out);
    out.writeBoolean(c.isFinal());
    out.writeTo(os);
  }

  @Override
  public TradeCandle decode(InputStream is) throws IOException {
    DataInputStream in = new DataInputStream(is);
    return new TradeCandle(readString(in), in.readLong(), in.readLong(),
        Decimals.read(in), Decimals.read(in), Decimals.read(in), Decimals.read(in),
        VarInt.decodeLong(in), VarInt.decodeLong(in), VarInt.decodeLong(in), VarInt.decodeLong(in),
        Decimals.read(in), Decimals.read(in), Decimals.read(in), Decimals.read(in),
        Decimals.read(in),
        VarInt.decodeLong(in), VarInt.decodeLong(in), VarInt.decodeLong(in), VarInt.decodeLong(in),
        readString(in), VarInt.decodeLong(in), in.readBoolean());
  }

  @Override
  public void verifyDeterministic() {}
}
