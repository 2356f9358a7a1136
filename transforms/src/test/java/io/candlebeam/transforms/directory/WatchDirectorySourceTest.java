package io.candlebeam.transforms.directory;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.is;

import io.candlebeam.transforms.directory.WatchDirectorySource.CleanSource;
import io.candlebeam.transforms.directory.WatchDirectorySource.Mark;
import io.candlebeam.transforms.directory.WatchDirectorySource.Settings;
import io.candlebeam.transforms.model.RawRecord;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.io.UnboundedSource.UnboundedReader;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.util.CoderUtils;
import org.joda.time.Instant;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The watched directory, reader by reader, as a runner drives it: read until nothing is left,
 * take a checkpoint (a micro-batch boundary on Spark), finalize it once committed.
 */
class WatchDirectorySourceTest {

  private static Path drop(Path dir, String name, long minute, String... lines) throws Exception {
    Path staged = Files.write(dir.resolveSibling(name + ".tmp"), List.of(lines));
    Path file = Files.move(staged, dir.resolve(name)); // atomically, as Spark requires
    Files.setLastModifiedTime(file, FileTime.fromMillis(1_700_000_000_000L + minute * 60_000));
    return file;
  }

  /** Everything the reader gives before it runs dry. */
  private static List<String> readAvailable(UnboundedReader<RawRecord> reader, boolean started)
      throws Exception {
    List<String> out = new ArrayList<>();
    boolean more = started ? reader.advance() : reader.start();
    for (int idle = 0; idle < 3; more = reader.advance()) {
      if (more) {
        out.add(reader.getCurrent().payload());
        idle = 0;
      } else {
        idle++;
        Thread.sleep(120); // the reader lists the directory at most every 100 ms
      }
    }
    return out;
  }

  private static Mark roundTrip(Mark mark) throws Exception {
    return CoderUtils.clone(new WatchDirectorySource(settings(Path.of("/x"), 1, CleanSource.OFF, null),
        s -> null).getCheckpointMarkCoder(), mark);
  }

  private static Settings settings(Path dir, int maxFiles, CleanSource clean, Path archive) {
    return Settings.of(dir.toString()).withFiles("*.json", false).withTrigger(maxFiles, false)
        .withCleanup(clean, archive == null ? null : archive.toString(),
            org.joda.time.Duration.standardHours(1));
  }

  @Test
  void oneFilePerTriggerArchivedOnceProcessedAndNeverReadTwice(@TempDir Path root) throws Exception {
    Path dir = Files.createDirectories(root.resolve("in"));
    Path archive = root.resolve("archive");
    drop(dir, "a.json", 1, "a1", "a2");
    drop(dir, "b.json", 2, "b1");
    drop(dir, "c.json", 3, "c1");
    drop(dir, "ignored.txt", 0, "not matching the pattern");
    WatchDirectorySource source = new WatchDirectorySource(
        settings(dir, 1, CleanSource.ARCHIVE, archive), s -> null);
    UnboundedReader<RawRecord> reader =
        source.createReader(PipelineOptionsFactory.create(), null);

    // Trigger 1: only the oldest file.
    assertThat(readAvailable(reader, false), contains("a1", "a2"));
    Mark first = (Mark) reader.getCheckpointMark();
    first.finalizeCheckpoint(); // committed: a.json moves to the archive
    assertThat(Files.exists(archive.resolve("a.json")), is(true));
    assertThat(Files.exists(dir.resolve("a.json")), is(false));
    // Trigger 2 and 3: one file each.
    assertThat(readAvailable(reader, true), contains("b1"));
    reader.getCheckpointMark().finalizeCheckpoint();
    assertThat(readAvailable(reader, true), contains("c1"));
    Mark third = roundTrip((Mark) reader.getCheckpointMark());
    third.finalizeCheckpoint();
    assertThat(Files.exists(archive.resolve("c.json")), is(true));

    // A file name already read, dropped again, adds nothing, also for a reader restarted from the
    // checkpoint; a new name is read.
    drop(dir, "b.json", 4, "b1 again");
    drop(dir, "d.json", 5, "d1");
    UnboundedReader<RawRecord> restarted =
        source.createReader(PipelineOptionsFactory.create(), third);
    assertThat(readAvailable(restarted, false), contains("d1"));
    assertThat(readAvailable(restarted, true), empty());
  }

  @Test
  void aCrashInTheMiddleOfAFileResumesAfterTheCheckpointedRecords(@TempDir Path root)
      throws Exception {
    Path dir = Files.createDirectories(root.resolve("in"));
    drop(dir, "a.json", 1, "a1", "a2", "a3");
    WatchDirectorySource source = new WatchDirectorySource(
        settings(dir, 0, CleanSource.DELETE, null), s -> null);
    UnboundedReader<RawRecord> reader = source.createReader(PipelineOptionsFactory.create(), null);
    assertThat(reader.start(), is(true));
    assertThat(reader.getCurrent().payload(), is("a1"));
    // The runner checkpoints after one record, then the job dies.
    Mark mark = roundTrip((Mark) reader.getCheckpointMark());
    mark.finalizeCheckpoint();
    assertThat("a partly read file is not cleaned", Files.exists(dir.resolve("a.json")), is(true));
    UnboundedReader<RawRecord> restarted = source.createReader(PipelineOptionsFactory.create(), mark);
    assertThat(readAvailable(restarted, false), contains("a2", "a3"));
    restarted.getCheckpointMark().finalizeCheckpoint();
    assertThat("deleted once fully processed", Files.exists(dir.resolve("a.json")), is(false));
  }

  @Test
  void availableNowReadsWhatWasThereAtStartThenEndsTheWatermark(@TempDir Path root)
      throws Exception {
    Path dir = Files.createDirectories(root.resolve("in"));
    drop(dir, "a.json", 1, "a1");
    drop(dir, "b.json", 2, "b1");
    Settings once = Settings.of(dir.toString()).withFiles("*.json", false).withTrigger(1, true);
    UnboundedReader<RawRecord> reader = new WatchDirectorySource(once, s -> 5_000_000L)
        .createReader(PipelineOptionsFactory.create(), null);
    // Trigger 1: a.json (one file per trigger still holds); b.json is still to come, so the
    // watermark is the ordinary one: max event time 5,000,000 ms minus the hour.
    assertThat(readAvailable(reader, false), contains("a1"));
    reader.getCheckpointMark();
    assertThat(reader.getWatermark(), is(new Instant(5_000_000L - 3_600_000L)));
    // A file that appears after the start is not part of this run.
    drop(dir, "c.json", 3, "c1");
    // Trigger 2: b.json, and then nothing more will come: the watermark ends.
    assertThat(readAvailable(reader, true), contains("b1"));
    reader.getCheckpointMark();
    assertThat(readAvailable(reader, true), is(List.of()));
    assertThat(reader.getWatermark(), is(BoundedWindow.TIMESTAMP_MAX_VALUE));
  }
}
