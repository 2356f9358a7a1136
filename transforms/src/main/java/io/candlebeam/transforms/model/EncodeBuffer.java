package io.candlebeam.transforms.model;

import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * A {@link DataOutputStream} into a private array: a coder encodes one value here and hands its
 * caller's stream all the bytes in one write. Beam encodes into a {@code ByteArrayOutputStream}
 * that starts at 32 bytes and locks on every write, and a varint is a write per byte, so writing
 * straight to it costs a lock per byte and a copy at every doubling. One per encode; not shared;
 * {@link #size()} is not kept.
 */
final class EncodeBuffer extends DataOutputStream {
  private final Bytes bytes;

  /** {@code capacity}: the bytes expected; the array grows past it if need be. */
  EncodeBuffer(int capacity) {
    this(new Bytes(capacity));
  }

  private EncodeBuffer(Bytes bytes) {
    super(bytes);
    this.bytes = bytes;
  }

  @Override
  public void write(int b) {
    bytes.write(b);
  }

  @Override
  public void write(byte[] b, int off, int len) {
    bytes.write(b, off, len);
  }

  /** Hands {@code os} everything written so far, in one write. */
  void writeTo(OutputStream os) throws IOException {
    os.write(bytes.array, 0, bytes.size);
  }

  /** The array; {@link DataOutputStream}'s other writes (longs, doubles) reach it through here. */
  private static final class Bytes extends OutputStream {
    private byte[] array;
    private int size;

    Bytes(int capacity) {
      array = new byte[Math.max(16, capacity)];
    }

    @Override
    public void write(int b) {
      if (size == array.length) {
        array = Arrays.copyOf(array, size * 2);
      }
      array[size++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      if (size + len > array.length) {
        array = Arrays.copyOf(array, Math.max(array.length * 2, size + len));
      }
      System.arraycopy(b, off, array, size, len);
      size += len;
    }
  }
}
