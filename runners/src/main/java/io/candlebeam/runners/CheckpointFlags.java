package io.candlebeam.runners;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The flags a Spark streaming checkpoint was written with, kept beside it in {@value #FILE}.
 * Spark restores the whole pipeline (source, windows, sinks) from its checkpoint, so flags changed
 * on a restart would be silently ignored; a restart whose flags differ is refused instead, naming
 * the flags and the fix. Flags read only by the launcher's report loop may change.
 */
final class CheckpointFlags {
  static final String FILE = "candlebeam-flags.txt";
  /** Flags that do not shape the restored pipeline. */
  private static final Set<String> FREE = Set.of("--reportIntervalSeconds", "--help");

  private CheckpointFlags() {}

  /**
   * Records {@code args} in {@code checkpointDir} on a fresh start; on a restart, checks they are
   * the flags it was written with.
   *
   * @throws IllegalArgumentException when they differ
   */
  static void verifyOrRecord(Path checkpointDir, List<String> args) {
    Path file = checkpointDir.resolve(FILE);
    Set<String> now = shaping(args);
    try {
      if (Files.exists(file)) {
        Set<String> then = new TreeSet<>(Files.readAllLines(file, StandardCharsets.UTF_8));
        if (!then.equals(now)) {
          Set<String> added = new TreeSet<>(now);
          added.removeAll(then);
          Set<String> dropped = new TreeSet<>(then);
          dropped.removeAll(now);
          throw new IllegalArgumentException("--checkpointDir=" + checkpointDir + " holds a job "
              + "started with other flags (now also " + added + ", no longer " + dropped + "); "
              + "Spark would resume the old pipeline and ignore the change: give a new "
              + "--checkpointDir to start afresh, or the original flags to resume");
        }
        return;
      }
      Files.createDirectories(checkpointDir);
      Files.write(file, now, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep the job's flags in " + file, e);
    }
  }

  private static Set<String> shaping(List<String> args) {
    List<String> kept = new ArrayList<>();
    for (String a : args) {
      String name = a.contains("=") ? a.substring(0, a.indexOf('=')) : a;
      if (!FREE.contains(name)) {
        kept.add(a);
      }
    }
    return new TreeSet<>(kept);
  }
}
