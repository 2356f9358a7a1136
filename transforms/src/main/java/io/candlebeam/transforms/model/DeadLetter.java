package io.candlebeam.transforms.model;

import java.io.PrintWriter;
import java.io.Serializable;
import java.io.StringWriter;
import java.util.Map;
import org.apache.beam.sdk.coders.DefaultCoder;

/**
 * A record that could not be processed, kept whole (after DataflowTemplates' {@code
 * FailsafeElement}): the original payload, its origin and source metadata, the step that failed,
 * the reason in words, the error type and, for unexpected errors, the stack trace.
 */
@DefaultCoder(DeadLetterCoder.class)
public record DeadLetter(
    String payload,
    String origin,
    Map<String, String> metadata,
    String step,
    String reason,
    String errorType,
    String stackTrace)
    implements Serializable {

  public DeadLetter {
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
  }

  /** A dead letter for {@code record}, failed in {@code step} with {@code error}. */
  public static DeadLetter of(RawRecord record, String step, Throwable error) {
    return new DeadLetter(
        record.payload(),
        record.origin(),
        record.metadata(),
        step,
        String.valueOf(error.getMessage()),
        error.getClass().getSimpleName(),
        stackTraceOf(error));
  }

  private static String stackTraceOf(Throwable error) {
    if (error.getStackTrace().length == 0) {
      return null; // an expected, well-described rejection: the reason says it all
    }
    StringWriter out = new StringWriter();
    error.printStackTrace(new PrintWriter(out));
    return out.toString();
  }
}
