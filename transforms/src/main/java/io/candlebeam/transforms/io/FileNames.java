package io.candlebeam.transforms.io;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Turns any text (an origin, a word) into one safe file-name component. */
public final class FileNames {
  private static final int MAX = 160;

  private FileNames() {}

  /**
   * {@code text} with every character outside [A-Za-z0-9._@-] replaced by '_' (so no '/', ':' or
   * '..' path step survives), cut and suffixed with a digest of the original when very long.
   */
  public static String safe(String text) {
    String source = text == null ? "unknown" : text;
    String safe = source.replaceAll("[^A-Za-z0-9._@-]", "_");
    if (safe.startsWith(".")) {
      safe = "_" + safe; // no hidden files, no "." or ".."
    }
    if (safe.length() <= MAX) {
      return safe;
    }
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(source.getBytes(StandardCharsets.UTF_8));
      return safe.substring(safe.length() - (MAX - 17)) + "-" + HexFormat.of().formatHex(digest, 0, 8);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
