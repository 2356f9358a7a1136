package io.candlebeam.transforms.io;

import io.candlebeam.transforms.model.DeadLetter;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;

/**
 * Dead letters as JSON, one file per dead letter named after its origin, under {@code <dir>/}:
 * {@code crypto-prices_0@1234.jsonl} (topic, partition, offset) or {@code
 * _data_ticks-001.jsonl_49.jsonl} (file and line). The origin identifies the record, so a replayed
 * micro-batch rewrites the same file however it is bundled: exactly one dead letter per bad record,
 * even across crashes. Dead letters are the exception, so one small file each is the price.
 */
public final class WriteDeadLetters {
  private static final int MAX_NAME = 160;

  private WriteDeadLetters() {}

  public static WriteIdempotentFiles<DeadLetter> json(String directory) {
    return WriteIdempotentFiles.to(directory, d -> fileKey(d.origin()), ".jsonl",
        new TextLinesSink<>(DeadLetterJson::toJson), "deadletter");
  }

  /** The origin with every character outside [A-Za-z0-9._@-] replaced, hashed if very long. */
  static String fileKey(String origin) {
    String safe = (origin == null ? "unknown" : origin).replaceAll("[^A-Za-z0-9._@-]", "_");
    if (safe.length() <= MAX_NAME) {
      return safe;
    }
    byte[] digest;
    try {
      digest = java.security.MessageDigest.getInstance("SHA-256")
          .digest(origin.getBytes(StandardCharsets.UTF_8));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    return safe.substring(safe.length() - (MAX_NAME - 17)) + "-" + HexFormat.of().formatHex(digest, 0, 8);
  }
}
