package io.candlebeam.transforms.model;

import static io.candlebeam.transforms.model.Fields.readString;
import static io.candlebeam.transforms.model.Fields.writeString;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.util.VarInt;

/** A compact, deterministic coder for {@link Trade}; decimals exactly. */
public final class TradeCoder extends AtomicCoder<Trade> {
  private static final TradeCoder INSTANCE = new TradeCoder();

  public static TradeCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(Trade t, OutputStream os) throws IOException {
    EncodeBuffer out = new EncodeBuffer(64);
    writeString(out, t.symbol());
    VarInt.encode(t.tradeTime(), out);
    VarInt.encode(t.id(), out);
    Decimals.write(out, t.price());
    Decimals.write(out, t.quantity());
    out.writeBoolean(t.buyerIsMaker());
    VarInt.encode(t.eventTime(), out);
    VarInt.encode(t.firstTradeId(), out);
    VarInt.encode(t.lastTradeId() - t.firstTradeId(), out);
    out.writeTo(os);
  }

  @Override
  public Trade decode(InputStream is) throws IOException {
    DataInputStream in = new DataInputStream(is);
    String symbol = readString(in);
    long tradeTime = VarInt.decodeLong(in);
    long id = VarInt.decodeLong(in);
    var price = Decimals.read(in);
    var quantity = Decimals.read(in);
    boolean maker = in.readBoolean();
    long eventTime = VarInt.decodeLong(in);
    long first = VarInt.decodeLong(in);
    long last = first + VarInt.decodeLong(in);
    return new Trade(symbol, tradeTime, id, price, quantity, maker, eventTime, first, last);
  }

  @Override
  public void verifyDeterministic() {}
}
