package io.candlebeam.transforms.parse;

/**
 * An input record that is not what the parser accepts. The message says why in words a user can
 * act on; no stack trace is captured, since the cause is the data and not the code.
 */
public final class MalformedRecordException extends Exception {
  public MalformedRecordException(String reason) {
    super(reason, null, false, false);
  }
}
