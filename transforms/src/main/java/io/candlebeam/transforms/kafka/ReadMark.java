package io.candlebeam.transforms.kafka;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.CustomCoder;
import org.apache.beam.sdk.coders.VarLongCoder;
import org.apache.beam.sdk.io.UnboundedSource;
import org.apache.beam.sdk.io.kafka.KafkaCheckpointMark;

/**
 * KafkaIO's checkpoint mark (next offset and watermark per partition) and the number of the read
 * that starts from it, which names the read's entry in the {@link ReadLog}.
 */
record ReadMark(KafkaCheckpointMark offsets, long read) implements UnboundedSource.CheckpointMark {
  @Override
  public void finalizeCheckpoint() throws IOException {
    offsets.finalizeCheckpoint();
  }

  /** KafkaIO's coder of the offsets, then the read number. */
  static final class ReadMarkCoder extends CustomCoder<ReadMark> {
    private final Coder<KafkaCheckpointMark> offsets;

    ReadMarkCoder(Coder<KafkaCheckpointMark> offsets) {
      this.offsets = offsets;
    }

    @Override
    public void encode(ReadMark mark, OutputStream out) throws IOException {
      offsets.encode(mark.offsets(), out);
      VarLongCoder.of().encode(mark.read(), out);
    }

    @Override
    public ReadMark decode(InputStream in) throws IOException {
      KafkaCheckpointMark o = offsets.decode(in);
      return new ReadMark(o, VarLongCoder.of().decode(in));
    }

    @Override
    public void verifyDeterministic() throws NonDeterministicException {
      offsets.verifyDeterministic();
    }
  }
}
