package io.candlebeam.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The tick files bundled in the jar (module test-data), copied out to a temporary folder so the
 * ordinary file source reads them: the default input when no {@code --input} is given.
 */
public final class BundledTestData {
  private static final String ROOT = "/candlebeam/test-data/";

  private BundledTestData() {}

  /** Copies the bundled tick files out and returns a glob that matches them. */
  public static String extract() {
    try {
      Path dir = Files.createTempDirectory("candlebeam-test-data-");
      dir.toFile().deleteOnExit();
      for (String name : resource("expected/tick-files.txt").split("\n")) {
        if (name.isBlank()) {
          continue;
        }
        Path target = dir.resolve(name.trim());
        try (InputStream in = open("ticks/" + name.trim())) {
          Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
        }
        target.toFile().deleteOnExit();
      }
      return dir.resolve("*.jsonl").toString();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy out the bundled test data", e);
    }
  }

  /** A bundled text file, e.g. {@code expected/candles.jsonl}. */
  public static String resource(String path) throws IOException {
    try (InputStream in = open(path)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static InputStream open(String path) throws IOException {
    InputStream in = BundledTestData.class.getResourceAsStream(ROOT + path);
    if (in == null) {
      throw new IOException("bundled test data " + ROOT + path + " is not on the classpath");
    }
    return in;
  }
}
