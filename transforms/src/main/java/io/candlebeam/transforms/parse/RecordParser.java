package io.candlebeam.transforms.parse;

import java.io.Serializable;

/** Turns one raw payload into one value of {@code T}, or says why it cannot. */
@FunctionalInterface
public interface RecordParser<T> extends Serializable {
  T parse(String payload) throws MalformedRecordException;
}
