package io.candlebeam.transforms.io;

import io.candlebeam.transforms.model.DeadLetter;

/**
 * Dead letters as JSON lines under {@code <dir>/}, one file per bundle named by a digest of its
 * rows ({@code deadletters-<digest>.jsonl}), so a replayed bundle rewrites its own file.
 */
public final class WriteDeadLetters {
  private WriteDeadLetters() {}

  public static WriteIdempotentFiles<DeadLetter> json(String directory) {
    return WriteIdempotentFiles.to(directory, d -> "deadletters", ".jsonl",
            new TextLinesSink<>(DeadLetterJson::toJson), "deadletter")
        .contentAddressed();
  }
}
