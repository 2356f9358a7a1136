package io.candlebeam.transforms.dedup;

import io.candlebeam.transforms.model.DeadLetter;
import io.candlebeam.transforms.model.DeadLetterCoder;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.StructuredCoder;
import org.apache.beam.sdk.util.VarInt;

/**
 * What parsing one record gave, as one element: the value with the watermark it was read under, a
 * dead letter, or a too-late record. One output instead of three lets the parse step stay a
 * single-output DoFn, whose output Beam's SparkRunner does not persist (it persists every
 * multi-output ParDo's, here every parsed trade), on the way to {@link DropDuplicates}.
 */
public record Parsed<T>(T value, long watermark, DeadLetter failure, boolean tooLate) {

  public static <T> Parsed<T> of(T value, long watermark) {
    return new Parsed<>(value, watermark, null, false);
  }

  public static <T> Parsed<T> deadLetter(DeadLetter letter) {
    return new Parsed<>(null, 0, letter, false);
  }

  public static <T> Parsed<T> tooLate(DeadLetter letter) {
    return new Parsed<>(null, 0, letter, true);
  }

  /** Encodes a tag byte, then the value and watermark, or the dead letter. */
  public static final class ParsedCoder<T> extends StructuredCoder<Parsed<T>> {
    private final Coder<T> valueCoder;

    public ParsedCoder(Coder<T> valueCoder) {
      this.valueCoder = valueCoder;
    }

    @Override
    public void encode(Parsed<T> p, OutputStream out) throws IOException {
      if (p.failure() == null) {
        out.write(0);
        valueCoder.encode(p.value(), out);
        VarInt.encode(p.watermark(), out);
      } else {
        out.write(p.tooLate() ? 2 : 1);
        DeadLetterCoder.of().encode(p.failure(), out);
      }
    }

    @Override
    public Parsed<T> decode(InputStream in) throws IOException {
      int tag = in.read();
      if (tag == 0) {
        return of(valueCoder.decode(in), VarInt.decodeLong(in));
      }
      DeadLetter letter = DeadLetterCoder.of().decode(in);
      return tag == 2 ? tooLate(letter) : deadLetter(letter);
    }

    @Override
    public List<? extends Coder<?>> getCoderArguments() {
      return List.of(valueCoder);
    }

    @Override
    public void verifyDeterministic() throws NonDeterministicException {
      verifyDeterministic(this, "value", valueCoder);
    }
  }
}
