package io.candlebeam.transforms.model;

import static io.candlebeam.transforms.model.Fields.*;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;
import org.apache.beam.sdk.coders.AtomicCoder;
import org.apache.beam.sdk.util.VarInt;

/**
 * A compact, deterministic coder for {@link RawRecord}: payload, origin, metadata, watermark. The
 * metadata is a sorted list of string pairs, or, for {@link KafkaMetadata}, its fields after the
 * marker {@link #KAFKA} where the pair count would be (records encoded by earlier builds, with a
 * pair count, still decode).
 */
public final class RawRecordCoder extends AtomicCoder<RawRecord> {
  private static final RawRecordCoder INSTANCE = new RawRecordCoder();
  /** In place of the metadata's pair count: the Kafka fields follow. */
  static final int KAFKA = Integer.MAX_VALUE;

  public static RawRecordCoder of() {
    return INSTANCE;
  }

  @Override
  public void encode(RawRecord r, OutputStream os) throws IOException {
    EncodeBuffer out = new EncodeBuffer(r.payload() == null ? 64 : r.payload().length() + 96);
    writeString(out, r.payload());
    writeString(out, r.origin());
    if (r.metadata() instanceof KafkaMetadata kafka) {
      VarInt.encode(KAFKA, out);
      kafka.encode(out);
    } else {
      writeMap(out, r.metadata());
    }
    out.writeLong(r.watermarkAtRead());
    out.writeTo(os);
  }

  @Override
  public RawRecord decode(InputStream is) throws IOException {
    DataInputStream in = new DataInputStream(is);
    String payload = readString(in);
    String origin = readString(in);
    int pairs = VarInt.decodeInt(in);
    Map<String, String> metadata = pairs == KAFKA ? KafkaMetadata.decode(in) : readPairs(in, pairs);
    return new RawRecord(payload, origin, metadata, in.readLong());
  }

  @Override
  public void verifyDeterministic() {}
}
