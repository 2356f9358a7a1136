package io.candlebeam.transforms.combine;

import io.candlebeam.transforms.combine.TradeOhlcv.Point;
import io.candlebeam.transforms.model.Decimals;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.util.VarInt;

/** Encodes a {@link TradeOhlcv} exactly (this is what Spark checkpoints). */
public final class TradeOhlcvCoder extends AtomicCoder<TradeOhlcv> {
  private static final TradeOhlcvCoder INSTANCE = new TradeOhlcvCoder();

  public static TradeOhlcvCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(TradeOhlcv a, OutputStream os) throws IOException {
    DataOutputStream out = new DataOutputStream(os);
    VarInt.encode(a.records, out);
    if (a.records == 0) {
      return;
    }
    VarInt.encode(a.trades, out);
    for (Point p : new Point[] {a.open, a.close, a.high, a.low}) {
      Decimals.write(out, p.price());
      VarInt.encode(p.time(), out);
      VarInt.encode(p.id(), out);
    }
    Decimals.write(out, a.volume);
    Decimals.write(out, a.quoteVolume);
    Decimals.write(out, a.buyVolume);
    VarInt.encode(a.firstTradeId, out);
    VarInt.encode(a.lastTradeId, out);
  }

  @Override
  public TradeOhlcv decode(InputStream is) throws IOException {
    DataInputStream in = new DataInputStream(is);
    TradeOhlcv a = new TradeOhlcv();
    a.records = VarInt.decodeLong(in);
    if (a.records == 0) {
      return a;
    }
    a.trades = VarInt.decodeLong(in);
    a.open = point(in);
    a.close = point(in);
    a.high = point(in);
    a.low = point(in);
    a.volume = Decimals.read(in);
    a.quoteVolume = Decimals.read(in);
    a.buyVolume = Decimals.read(in);
    a.firstTradeId = VarInt.decodeLong(in);
    a.lastTradeId = VarInt.decodeLong(in);
    return a;
  }

  private static Point point(DataInputStream in) throws IOException {
    return new Point(Decimals.read(in), VarInt.decodeLong(in), VarInt.decodeLong(in));
  }

  @Override
  public void verifyDeterministic() {}
}
