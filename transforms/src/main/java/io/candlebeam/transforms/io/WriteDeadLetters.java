package io.candlebeam.transforms.io;

import io.candlebeam.transforms.model.DeadLetter;

/**
 * Dead letters as JSON, one file per dead letter named after its origin, under {@code <dir>/}:
 * {@code crypto-prices_0@1234.jsonl} (topic, partition, offset) or {@code
 * _data_ticks-001.jsonl_49.jsonl} (file and line). The origin identifies the record, so a replayed
 * micro-batch rewrites the same file however it is bundled: exactly one dead letter per bad record,
 * even across crashes. Dead letters are the exception, so one small file each is the price.
 */
public final class WriteDeadLetters {
  private WriteDeadLetters() {}

  public static WriteIdempotentFiles<DeadLetter> json(String directory) {
    return json(directory, "deadletter");
  }

  /** The same, counted as {@code <name>_rows} (for example {@code late} for too-late records). */
  public static WriteIdempotentFiles<DeadLetter> json(String directory, String name) {
    return WriteIdempotentFiles.to(directory, d -> FileNames.safe(d.origin()), ".jsonl",
        new TextLinesSink<>(DeadLetterJson::toJson), name);
  }

}
