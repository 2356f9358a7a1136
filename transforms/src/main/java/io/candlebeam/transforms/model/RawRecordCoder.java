package io.candlebeam.transforms.model;

import static io.candlebeam.transforms.model.Fields.*;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;

/** A compact, deterministic coder for {@link RawRecord}. */
public final class RawRecordCoder extends AtomicCoder<RawRecord> {
  private static final RawRecordCoder INSTANCE = new RawRecordCoder();

  public static RawRecordCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(RawRecord r, OutputStream os) throws IOException {
    DataOutputStream out = new DataOutputStream(os);
    writeString(out, r.payload());
    writeString(out, r.origin());
    writeMap(out, r.metadata());
    out.writeLong(r.watermarkAtRead());
  }

  @Override
  public RawRecord decode(InputStream is) throws IOException {
    DataInputStream in = new DataInputStream(is);
    return new RawRecord(readString(in), readString(in), readMap(in), in.readLong());
  }

  @Override
  public void verifyDeterministic() {}
}
