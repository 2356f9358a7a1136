package io.candlebeam.transforms.io;

import org.apache.beam.sdk.io.FileIO;
import org.apache.beam.sdk.io.fs.EmptyMatchTreatment;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;

/**
 * The files matching a glob (none is an error), opened for reading (decompressed by extension),
 * spread over the workers: the matches come out of one element (the glob), and without the
 * reshuffle every file would be read, parsed and pre-combined in that one task, on one core.
 */
final class MatchFiles extends PTransform<PBegin, PCollection<FileIO.ReadableFile>> {
  private final String glob;

  MatchFiles(String glob) {
    this.glob = glob;
  }

  @Override
  public PCollection<FileIO.ReadableFile> expand(PBegin begin) {
    return begin
        .apply("Match", FileIO.match().filepattern(glob)
            .withEmptyMatchTreatment(EmptyMatchTreatment.DISALLOW))
        .apply("SpreadFiles", Reshuffle.viaRandomKey())
        .apply("OpenFiles", FileIO.readMatches());
  }
}
