package io.candlebeam.transforms.directory;

import io.candlebeam.transforms.watermark.EventClock;
import io.candlebeam.transforms.io.ReadLinesFromFiles;
import io.candlebeam.transforms.model.RawRecord;
import io.candlebeam.transforms.model.RawRecordCoder;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.stream.Stream;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.io.UnboundedSource;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.joda.time.Duration;
import org.joda.time.Instant;

/**
 * A watched directory, unbounded: Spark's file stream source. Files that appear in {@code
 * directory} and match {@code pattern} are read oldest first (by modification time, then name),
 * line by line or whole ({@code multiLine}); put files in place atomically (write elsewhere, then
 * move), as Spark requires.
 *
 * <ul>
 *   <li>{@code maxFilesPerTrigger}: at most this many new files between two checkpoints (on Spark,
 *       one micro-batch); 0 for no limit.
 *   <li>A file name once read is never read again, also across a restart from the checkpoint: the
 *       names read are part of the checkpoint mark. (Like Spark's, that list only grows.)
 *   <li>{@code cleanSource}: {@code off}, {@code delete} or {@code archive} (moved into {@code
 *       archiveDir}) a file once it is fully processed: when the runner finalizes the checkpoint
 *       that covers its records.
 * </ul>
 *
 * Element timestamps and the watermark: event time from {@code eventTime}, watermark = max event
 * time seen - {@code watermarkDelay}.
 *
 * <p>With {@code availableNow} (Spark's {@code Trigger.AvailableNow}) only the files present when
 * the reader starts are read, still {@code maxFilesPerTrigger} at a time; then the watermark jumps
 * to the end of time, so every window fires its final pane and the run ends (the DirectRunner and
 * Flink finish; on Spark the streaming context idles until stopped). A reader restored from a
 * checkpoint takes a new snapshot of the directory.
 */
public final class WatchDirectorySource
    extends UnboundedSource<RawRecord, WatchDirectorySource.Mark> {

  /** What happens to a file once processed. */
  public enum CleanSource { OFF, DELETE, ARCHIVE }

  /**
   * Settings of the watch, built fluently: {@code Settings.of(dir).withFiles("*.jsonl", false)
   * .withTrigger(1, false).withCleanup(CleanSource.ARCHIVE, archive, delay)}.
   */
  public record Settings(String directory, String pattern, boolean multiLine, int maxFilesPerTrigger,
      CleanSource cleanSource, String archiveDir, Duration watermarkDelay, boolean availableNow)
      implements Serializable {
    /** Every file of {@code directory}, one record per line, no limit, kept, 1 h delay, until stopped. */
    public static Settings of(String directory) {
      return new Settings(directory, "*", false, 0, CleanSource.OFF, null,
          Duration.standardHours(1), false);
    }

    /**
     * Which files and how they are read: names matching {@code glob}; each file one record (a
     * JSON document or array) when {@code wholeFiles}, else one record per line.
     */
    public Settings withFiles(String glob, boolean wholeFiles) {
      return new Settings(directory, glob, wholeFiles, maxFilesPerTrigger, cleanSource, archiveDir,
          watermarkDelay, availableNow);
    }

    /**
     * When files are read: at most {@code maxFiles} new ones per checkpoint (0: no limit); with
     * {@code once}, only those present at start, then the watermark ends (Spark's availableNow).
     */
    public Settings withTrigger(int maxFiles, boolean once) {
      return new Settings(directory, pattern, multiLine, maxFiles, cleanSource, archiveDir,
          watermarkDelay, once);
    }

    /**
     * What happens to a file once processed ({@code archive}: where ARCHIVE moves it), and the
     * watermark's delay behind the max event time read.
     */
    public Settings withCleanup(CleanSource clean, String archive, Duration delay) {
      return new Settings(directory, pattern, multiLine, maxFilesPerTrigger, clean, archive, delay,
          availableNow);
    }

    public Settings {
      if (cleanSource == CleanSource.ARCHIVE && archiveDir == null) {
        throw new IllegalArgumentException("cleanSource ARCHIVE needs an archive directory");
      }
      if (maxFilesPerTrigger < 0) {
        throw new IllegalArgumentException("maxFilesPerTrigger must be >= 0 (0: no limit)");
      }
    }
  }

  /**
   * Gauge set to 1 once an {@code availableNow} run has read every file that was there: a runner
   * that never ends a streaming run by itself (Spark) is stopped on it once the output settles.
   */
  public static final String AVAILABLE_NOW_READ = "available_now_read";

  private final Settings settings;
  private final SerializableFunction<String, Long> eventTime;

  public WatchDirectorySource(Settings settings, SerializableFunction<String, Long> eventTime) {
    this.settings = settings;
    this.eventTime = eventTime;
  }

  @Override
  public List<WatchDirectorySource> split(int desiredNumSplits, PipelineOptions options) {
    return List.of(this); // one watcher: the order of files matters
  }

  @Override
  public UnboundedReader<RawRecord> createReader(PipelineOptions options, Mark mark) {
    return new Reader(this, mark);
  }

  @Override
  public Coder<Mark> getCheckpointMarkCoder() {
    return SerializableCoder.of(Mark.class);
  }

  @Override
  public Coder<RawRecord> getOutputCoder() {
    return RawRecordCoder.of();
  }

  /**
   * The checkpoint: every file name fully read so far, the file being read (if any) and how many of
   * its records were emitted, and the files to clean once it is final.
   */
  public static final class Mark implements UnboundedSource.CheckpointMark, Serializable {
    private final Settings settings;
    private final Set<String> read;
    private final String partialFile;
    private final int partialEmitted;
    private final List<String> toClean;
    private final long maxEventTime;

    Mark(Settings settings, Set<String> read, String partialFile, int partialEmitted,
        List<String> toClean, long maxEventTime) {
      this.settings = settings;
      this.read = new LinkedHashSet<>(read);
      this.partialFile = partialFile;
      this.partialEmitted = partialEmitted;
      this.toClean = new ArrayList<>(toClean);
      this.maxEventTime = maxEventTime;
    }

    @Override
    public void finalizeCheckpoint() throws IOException {
      for (String name : toClean) {
        Path file = Path.of(settings.directory()).resolve(name);
        if (settings.cleanSource() == CleanSource.DELETE) {
          Files.deleteIfExists(file);
        } else if (settings.cleanSource() == CleanSource.ARCHIVE && Files.exists(file)) {
          Path archive = Files.createDirectories(Path.of(settings.archiveDir()));
          Files.move(file, archive.resolve(name), StandardCopyOption.REPLACE_EXISTING);
        }
      }
    }
  }

  private static final class Reader extends UnboundedReader<RawRecord> {
    private final Counter records = Metrics.counter("candlebeam", ReadLinesFromFiles.RECORDS_READ);
    private final Counter files = Metrics.counter("candlebeam", "files_read");
    private final WatchDirectorySource source;
    private final PathMatcher matcher;
    private final Set<String> read = new LinkedHashSet<>();
    private final List<String> sinceMark = new ArrayList<>();
    private final Deque<RawRecord> pending = new ArrayDeque<>();
    private String currentFile; // the file whose records are pending
    private int emittedFromCurrent;
    private Mark resumeFrom;
    private final EventClock clock;
    private long lastListing;
    private RawRecord current;
    private Instant currentTimestamp;
    private Set<String> available; // availableNow: the names present at start; null otherwise

    Reader(WatchDirectorySource source, Mark mark) {
      this.source = source;
      this.matcher = FileSystems.getDefault().getPathMatcher("glob:" + source.settings.pattern());
      this.clock = new EventClock(source.eventTime, source.settings.watermarkDelay(),
          mark == null ? Long.MIN_VALUE : mark.maxEventTime);
      if (mark != null) {
        read.addAll(mark.read);
        resumeFrom = mark.partialFile == null ? null : mark;
      }
    }

    @Override
    public boolean start() throws IOException {
      Path dir = Path.of(source.settings.directory());
      if (!Files.isDirectory(dir)) {
        throw new IOException("not a directory to watch: " + dir);
      }
      if (source.settings.availableNow()) {
        try (Stream<Path> listing = Files.list(dir)) {
          available = new java.util.HashSet<>();
          listing.filter(this::eligible).map(p -> p.getFileName().toString())
              .forEach(available::add);
        }
      }
      if (resumeFrom != null) {
        // Finish the file a crash interrupted, skipping the records the checkpoint covers.
        load(dir.resolve(resumeFrom.partialFile));
        sinceMark.add(resumeFrom.partialFile); // to be cleaned once fully processed
        for (int i = 0; i < resumeFrom.partialEmitted && !pending.isEmpty(); i++) {
          pending.poll();
          emittedFromCurrent++;
        }
        resumeFrom = null;
      }
      return advance();
    }

    @Override
    public boolean advance() throws IOException {
      if (pending.isEmpty()) {
        finishCurrentFile();
        if (!readNextFile()) {
          return false;
        }
      }
      current = clock.record(pending.poll());
      emittedFromCurrent++;
      records.inc();
      currentTimestamp = clock.stamp(current.payload());
      return true;
    }

    /** Loads the oldest unread file, if the per-checkpoint limit allows; false if there is none. */
    private boolean readNextFile() throws IOException {
      int limit = source.settings.maxFilesPerTrigger();
      if (limit > 0 && sinceMark.size() >= limit) {
        return false;
      }
      long now = System.currentTimeMillis();
      if (now - lastListing < 100) {
        return false; // do not list the directory in a busy loop
      }
      lastListing = now;
      Path dir = Path.of(source.settings.directory());
      Path next;
      try (Stream<Path> listing = Files.list(dir)) {
        next = listing.filter(this::eligible)
            .filter(p -> !read.contains(p.getFileName().toString()))
            .filter(p -> !p.getFileName().toString().equals(currentFile))
            .filter(p -> available == null || available.contains(p.getFileName().toString()))
            .min(Comparator.comparing(Reader::modified).thenComparing(Path::toString))
            .orElse(null);
      }
      if (next == null) {
        return false;
      }
      String name = next.getFileName().toString();
      sinceMark.add(name);
      files.inc();
      load(next);
      lastListing = 0; // more files may be waiting
      if (pending.isEmpty()) {
        finishCurrentFile();
        return readNextFile();
      }
      return true;
    }

    /** A file this watch reads: a regular, not hidden file whose name matches the pattern. */
    private boolean eligible(Path p) {
      return Files.isRegularFile(p) && !p.getFileName().toString().startsWith(".")
          && matcher.matches(p.getFileName());
    }

    private void finishCurrentFile() {
      if (currentFile != null) {
        read.add(currentFile);
        currentFile = null;
      }
    }

    /** Queues the records of {@code file}, which becomes the current file. */
    private void load(Path file) throws IOException {
      currentFile = file.getFileName().toString();
      emittedFromCurrent = 0;
      String text = Files.readString(file, StandardCharsets.UTF_8);
      if (source.settings.multiLine()) {
        pending.add(RawRecord.of(text, file.toString()));
      } else {
        long n = 0;
        for (String line : (Iterable<String>) text.lines()::iterator) {
          pending.add(RawRecord.of(line, file + ":" + ++n)); // blank lines too: dead letters
        }
      }
    }

    private static long modified(Path p) {
      try {
        return Files.getLastModifiedTime(p).toMillis();
      } catch (IOException e) {
        return Long.MAX_VALUE;
      }
    }

    @Override
    public RawRecord getCurrent() {
      if (current == null) {
        throw new NoSuchElementException();
      }
      return current;
    }

    @Override
    public Instant getCurrentTimestamp() {
      if (current == null) {
        throw new NoSuchElementException();
      }
      return currentTimestamp;
    }

    @Override
    public Instant getWatermark() {
      if (available != null && pending.isEmpty() && allAvailableRead()) {
        Metrics.gauge("candlebeam", AVAILABLE_NOW_READ).set(1); // the launcher ends the run on it
        return BoundedWindow.TIMESTAMP_MAX_VALUE; // availableNow: nothing more will come
      }
      return clock.watermark();
    }

    private boolean allAvailableRead() {
      for (String name : available) {
        if (!read.contains(name) && !name.equals(currentFile)) {
          return false;
        }
      }
      return true;
    }

    /**
     * The checkpoint also ends a "trigger": the next files may be read. Files whose records are
     * still pending are cleaned by a later checkpoint.
     */
    @Override
    public Mark getCheckpointMark() {
      if (pending.isEmpty()) {
        finishCurrentFile();
      }
      List<String> done = new ArrayList<>(sinceMark);
      done.remove(currentFile); // not fully processed yet: cleaned by a later checkpoint
      Mark mark = new Mark(source.settings, read, currentFile, emittedFromCurrent, done, clock.max());
      sinceMark.removeAll(done);
      return mark;
    }

    @Override
    public UnboundedSource<RawRecord, ?> getCurrentSource() {
      return source;
    }

    @Override
    public void close() {}
  }
}
