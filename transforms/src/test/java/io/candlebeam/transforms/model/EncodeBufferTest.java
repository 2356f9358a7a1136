package io.candlebeam.transforms.model;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.beam.sdk.util.VarInt;
import org.junit.jupiter.api.Test;

/** {@link EncodeBuffer}: the bytes a {@link DataOutputStream} would write, handed over at once. */
class EncodeBufferTest {

  /** The same writes, of every kind, to any {@link DataOutputStream}. */
  private static void writeAll(DataOutputStream out, long seed) throws IOException {
    Random random = new Random(seed);
    for (int i = 0; i < 200; i++) {
      switch (random.nextInt(6)) {
        case 0 -> VarInt.encode(random.nextLong(), out);
        case 1 -> VarInt.encode(random.nextInt(1 << random.nextInt(31)), out);
        case 2 -> out.writeLong(random.nextLong());
        case 3 -> out.writeDouble(random.nextGaussian());
        case 4 -> out.writeBoolean(random.nextBoolean());
        default -> Fields.writeString(out, "é-" + "x".repeat(random.nextInt(300)));
      }
    }
  }

  @Test
  void writesWhatADataOutputStreamWritesAndGrowsPastItsCapacity() throws IOException {
    for (long seed = 1; seed <= 20; seed++) {
      ByteArrayOutputStream expected = new ByteArrayOutputStream();
      writeAll(new DataOutputStream(expected), seed);
      EncodeBuffer buffer = new EncodeBuffer(16); // far below the ~20 kB written
      writeAll(buffer, seed);
      ByteArrayOutputStream actual = new ByteArrayOutputStream();
      buffer.writeTo(actual);
      assertThat("seed " + seed, actual.toByteArray(), equalTo(expected.toByteArray()));
    }
  }

  @Test
  void handsTheCallersStreamEverythingInOneWrite() throws IOException {
    List<Integer> writes = new ArrayList<>();
    OutputStream counting = new OutputStream() {
      @Override
      public void write(int b) {
        writes.add(1);
      }

      @Override
      public void write(byte[] b, int off, int len) {
        writes.add(len);
      }
    };
    EncodeBuffer buffer = new EncodeBuffer(4);
    VarInt.encode(300, buffer); // 2 bytes
    Fields.writeString(buffer, "BTCUSDT"); // 1 + 7
    buffer.writeLong(7L); // 8
    buffer.write("ab".getBytes(UTF_8)); // 2
    buffer.writeTo(counting);
    assertThat(writes, equalTo(List.of(20)));
  }
}
