package io.candlebeam.runners;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Flink's retained checkpoints under {@code <checkpointDir>/flink}: {@code <job id>/chk-<n>/} with a
 * {@code _metadata} file once complete. A restarted job gets a new job id, so the latest complete
 * checkpoint is found across job ids, by the time its metadata was written. The embedded
 * (local) environment ignores Beam's {@code --savepointPath}; it reads Flink's own {@code
 * execution.savepoint.path} from a configuration folder, which {@link #restoreConfig} writes.
 */
final class FlinkCheckpoints {
  /** Flink's folder inside {@code --checkpointDir}. */
  static final String FOLDER = "flink";
  private static final String CONF = "flink-conf";

  private FlinkCheckpoints() {}

  /** The latest complete checkpoint under {@code root}, if any. */
  static Optional<Path> latest(Path root) {
    if (!Files.isDirectory(root)) {
      return Optional.empty();
    }
    try (Stream<Path> files = Files.walk(root, 3)) {
      return files
          .filter(f -> f.getFileName().toString().equals("_metadata")
              && f.getParent().getFileName().toString().startsWith("chk-"))
          .max(Comparator.comparing(FlinkCheckpoints::modified))
          .map(Path::getParent);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot look for Flink checkpoints in " + root, e);
    }
  }

  /** A Flink configuration folder under {@code checkpointDir} that restores {@code checkpoint}. */
  static Path restoreConfig(Path checkpointDir, Path checkpoint) {
    Path conf = checkpointDir.resolve(CONF);
    try {
      Files.createDirectories(conf);
      Files.writeString(conf.resolve("flink-conf.yaml"),
          "# written by candlebeam: restore the latest retained checkpoint\n"
              + "execution.savepoint.path: " + checkpoint.toUri() + "\n",
          StandardCharsets.UTF_8);
      return conf;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the Flink configuration in " + conf, e);
    }
  }

  private static FileTime modified(Path f) {
    try {
      return Files.getLastModifiedTime(f);
    } catch (IOException e) {
      return FileTime.fromMillis(0);
    }
  }
}
