package io.candlebeam.transforms.words;

import java.io.Serializable;

/**
 * The count of one word in one window, as of one pane. Without windows, {@code windowStart} and
 * {@code windowEnd} are the global window's bounds.
 */
public record WordCount(String word, long count, long windowStart, long windowEnd,
    String paneTiming, long paneIndex) implements Serializable {}
