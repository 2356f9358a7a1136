package io.candlebeam.transforms.io;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.WritableByteChannel;
import java.nio.charset.StandardCharsets;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.transforms.SerializableFunction;

/** A {@link FileIO.Sink} writing one line of text per element (JSON lines, CSV rows). */
public final class TextLinesSink<T> implements FileIO.Sink<T> {
  private final SerializableFunction<T, String> format;
  private final String header;
  private transient Writer writer;

  public TextLinesSink(SerializableFunction<T, String> format) {
    this(format, null);
  }

  /** With a header line written first (CSV). */
  public TextLinesSink(SerializableFunction<T, String> format, String header) {
    this.format = format;
    this.header = header;
  }

  @Override
  public void open(WritableByteChannel channel) throws IOException {
    writer = new BufferedWriter(Channels.newWriter(channel, StandardCharsets.UTF_8));
    if (header != null) {
      writer.write(header);
      writer.write('\n');
    }
  }

  @Override
  public void write(T element) throws IOException {
    writer.write(format.apply(element));
    writer.write('\n');
  }

  @Override
  public void flush() throws IOException {
    writer.flush();
  }
}
