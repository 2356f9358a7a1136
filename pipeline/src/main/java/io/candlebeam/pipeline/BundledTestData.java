package io.candlebeam.pipeline;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The tick and trade files bundled in the jar (module test-data), copied out to a temporary folder so the
 * ordinary file source reads them: the default input when no {@code --input} is given.
 */
public final class BundledTestData {
  private static final String ROOT = "/candlebeam/test-data/";

  private BundledTestData() {}

  /** Copies the bundled tick files out and returns a glob that matches them. */
  public static String extract() {
    return extract("ticks", "tick-files.txt");
  }

  /** Copies the bundled trade files out and returns a glob that matches them. */
  public static String extractTrades() {
    return extract("trades", "trade-files.txt");
  }

  private static String extract(String folder, String list) {
    try {
      Path dir = Files.createTempDirectory("candlebeam-test-data-");
      dir.toFile().deleteOnExit();
      for (String name : resource("expected/" + list).split("\n")) {
        if (name.isBlank()) {
          continue;
        }
        Path target = dir.resolve(name.trim());
        try (InputStream in = open(folder + "/" + name.trim())) {
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
