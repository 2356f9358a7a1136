package io.candlebeam.transforms.io;

import io.candlebeam.transforms.model.RawRecord;
import io.candlebeam.transforms.model.RawRecordCoder;
import java.io.IOException;
import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;

/**
 * Reads each matching file whole, as one {@link RawRecord} whose origin is the file's path: Spark's
 * {@code multiLine} JSON, where one document (or one array of documents) spans a file.
 */
public final class ReadWholeFiles extends PTransform<PBegin, PCollection<RawRecord>> {
  private final String glob;

  public ReadWholeFiles(String glob) {
    this.glob = glob;
  }

  @Override
  public PCollection<RawRecord> expand(PBegin begin) {
    return begin
        .apply("MatchFiles", new MatchFiles(glob))
        .apply("ReadFiles", ParDo.of(new DoFn<FileIO.ReadableFile, RawRecord>() {
          private final Counter read = Metrics.counter("candlebeam", ReadLinesFromFiles.RECORDS_READ);

          @ProcessElement
          public void process(@Element FileIO.ReadableFile file, OutputReceiver<RawRecord> out)
              throws IOException {
            read.inc();
            out.output(RawRecord.of(file.readFullyAsUTF8String(),
                file.getMetadata().resourceId().toString()));
          }
        }))
        .setCoder(RawRecordCoder.of());
  }
}
