package io.candlebeam.transforms.io;

import io.candlebeam.transforms.model.RawRecord;
import io.candlebeam.transforms.model.RawRecordCoder;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.NoSuchElementException;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.io.FileBasedSource;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.io.fs.MatchResult;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.ValueProvider.StaticValueProvider;

/**
 * The lines of the files matching a glob as {@link RawRecord}s with origin {@code <file>:<line>},
 * one split per file (a file is read whole, so each line knows its number), read lazily: a runner
 * pulls one line at a time from the reader (Beam's SparkRunner iterates a source's records
 * straight into the next step), where a DoFn reading a whole file would hand the runner all of
 * its lines from one call, which the SparkRunner buffers.
 */
final class LinesSource extends FileBasedSource<RawRecord> {
  LinesSource(String glob) {
    super(StaticValueProvider.of(glob), EmptyMatchTreatment.DISALLOW, 1L);
  }

  private LinesSource(MatchResult.Metadata file, long start, long end) {
    super(file, 1L, start, end);
  }

  @Override
  protected FileBasedSource<RawRecord> createForSubrangeOfFile(MatchResult.Metadata file,
      long start, long end) {
    return new LinesSource(file, start, end);
  }

  @Override
  protected FileBasedReader<RawRecord> createSingleFileReader(PipelineOptions options) {
    return new LinesReader(this);
  }

  /** Not split within a file: a line's number needs every line before it. */
  @Override
  protected boolean isSplittable() {
    return false;
  }

  @Override
  public Coder<RawRecord> getOutputCoder() {
    return RawRecordCoder.of();
  }

  private static final class LinesReader extends FileBasedReader<RawRecord> {
    private BufferedReader lines;
    private String name;
    private long lineNumber;
    private RawRecord current;

    LinesReader(LinesSource source) {
      super(source);
    }

    @Override
    protected void startReading(ReadableByteChannel channel) {
      name = getCurrentSource().getSingleFileMetadata().resourceId().toString();
      lines = new BufferedReader(Channels.newReader(channel, StandardCharsets.UTF_8), 1 << 16);
    }

    @Override
    protected boolean readNextRecord() throws IOException {
      String line = lines.readLine();
      if (line == null) {
        current = null;
        return false;
      }
      lineNumber++;
      current = RawRecord.of(line, name + ":" + lineNumber);
      return true;
    }

    /** The line's index: increasing, and below the file's size (every line takes a byte). */
    @Override
    protected long getCurrentOffset() {
      return lineNumber - 1;
    }

    @Override
    public RawRecord getCurrent() {
      if (current == null) {
        throw new NoSuchElementException();
      }
      return current;
    }
  }
}
