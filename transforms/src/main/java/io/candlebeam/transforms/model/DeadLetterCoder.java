package io.candlebeam.transforms.model;

import static io.candlebeam.transforms.model.Fields.*;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.AtomicCoder;

/** A deterministic coder for {@link DeadLetter}. */
public final class DeadLetterCoder extends AtomicCoder<DeadLetter> {
  private static final DeadLetterCoder INSTANCE = new DeadLetterCoder();

  public static DeadLetterCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(DeadLetter d, OutputStream os) throws IOException {
    EncodeBuffer out = new EncodeBuffer(512);
    writeString(out, d.payload());
    writeString(out, d.origin());
    writeMap(out, d.metadata());
    writeString(out, d.step());
    writeString(out, d.reason());
    writeString(out, d.errorType());
    writeString(out, d.stackTrace());
    out.writeTo(os);
  }

  @Override
  public DeadLetter decode(InputStream is) throws IOException {
    DataInputStream in = new DataInputStream(is);
    return new DeadLetter(readString(in), readString(in), readMap(in), readString(in),
        readString(in), readString(in), readString(in));
  }

  @Override
  public void verifyDeterministic() {}
}
