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
  private final SerializableFunction<T, String> header;
  private transient Writer writer;
  private transient boolean first;

  public TextLinesSink(SerializableFunction<T, String> format) {
    this(format, null);
  }

  /** With a header line (CSV) written once per file, made from the file's first element. */
  public TextLinesSink(SerializableFunction<T, String> format, SerializableFunction<T, String> header) {
    this.format = format;
    this.header = header;
  }

  @Override
  public void open(WritableByteChannel channel) throws IOException {
    writer = new BufferedWriter(Channels.newWriter(channel, StandardCharsets.UTF_8));
    first = true;
  }

  @Override
  public void write(T element) throws IOException {
    if (first && header != null) {
      writer.write(header.apply(element));
      writer.write('\n');
    }
    first = false;
    writer.write(format.apply(element));
    writer.write('\n');
  }

  @Override
  public void flush() throws IOException {
    writer.flush();
  }
}
