package io.candlebeam.transforms.io;

import io.candlebeam.transforms.model.RawRecord;
import io.candlebeam.transforms.model.RawRecordCoder;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;

/**
 * Reads every line of the files matching a glob (compressed files are decompressed by extension)
 * as a {@link RawRecord} whose origin is {@code <file path>:<line number>}. Bounded: a batch
 * replay. Each line read is counted in {@value #RECORDS_READ}.
 */
public final class ReadLinesFromFiles extends PTransform<PBegin, PCollection<RawRecord>> {
  public static final String RECORDS_READ = "records_read";

  private final String glob;

  public ReadLinesFromFiles(String glob) {
    this.glob = glob;
  }

  @Override
  public PCollection<RawRecord> expand(PBegin begin) {
    return begin
        .apply("MatchFiles", FileIO.match().filepattern(glob)
            .withEmptyMatchTreatment(EmptyMatchTreatment.DISALLOW))
        .apply("OpenFiles", FileIO.readMatches())
        .apply("ReadLines", ParDo.of(new ReadLinesFn()))
        .setCoder(RawRecordCoder.of());
  }

  private static final class ReadLinesFn extends DoFn<FileIO.ReadableFile, RawRecord> {
    private final Counter read = Metrics.counter("candlebeam", RECORDS_READ);

    @ProcessElement
    public void process(@Element FileIO.ReadableFile file, OutputReceiver<RawRecord> out)
        throws IOException {
      String name = file.getMetadata().resourceId().toString();
      try (BufferedReader reader =
          new BufferedReader(Channels.newReader(file.open(), StandardCharsets.UTF_8), 1 << 16)) {
        long lineNumber = 0;
        for (String line = reader.readLine(); line != null; line = reader.readLine()) {
          lineNumber++;
          read.inc();
          out.output(RawRecord.of(line, name + ":" + lineNumber));
        }
      }
    }
  }
}
