package io.candlebeam.transforms.window;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.coders.Coder;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.windowing.IntervalWindow;
import org.apache.beam.sdk.transforms.windowing.MergeOverlappingIntervalWindows;
import org.apache.beam.sdk.transforms.windowing.WindowFn;
import org.apache.beam.sdk.transforms.windowing.WindowMappingFn;

/**
 * Session windows whose gap depends on the element's key, as Spark's {@code session_window} with a
 * gap expression: an element at t opens [t, t + gap(key)), and intersecting windows of one key merge,
 * so a session ends at its last element + that element's gap.
 */
public final class SessionsWithGapPerKey<T> extends WindowFn<T, IntervalWindow> {
  private final org.joda.time.Duration defaultGap;
  private final Map<String, org.joda.time.Duration> gapsByKey;
  private final SerializableFunction<T, String> keyFn;

  public SessionsWithGapPerKey(
      org.joda.time.Duration defaultGap,
      Map<String, org.joda.time.Duration> gapsByKey,
      SerializableFunction<T, String> keyFn) {
    this.defaultGap = defaultGap;
    this.gapsByKey = Map.copyOf(gapsByKey);
    this.keyFn = keyFn;
  }

  @Override
  public Collection<IntervalWindow> assignWindows(AssignContext c) {
    org.joda.time.Duration gap = gapsByKey.getOrDefault(keyFn.apply(c.element()), defaultGap);
    return List.of(new IntervalWindow(c.timestamp(), gap));
  }

  @Override
  public void mergeWindows(MergeContext c) throws Exception {
    MergeOverlappingIntervalWindows.mergeWindows(c);
  }

  @Override
  public boolean isCompatible(WindowFn<?, ?> other) {
    return equals(other);
  }

  @Override
  public Coder<IntervalWindow> windowCoder() {
    return IntervalWindow.getCoder();
  }

  @Override
  public WindowMappingFn<IntervalWindow> getDefaultWindowMappingFn() {
    throw new UnsupportedOperationException("sessions cannot be used as side-input windows");
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SessionsWithGapPerKey<?> s
        && s.defaultGap.equals(defaultGap)
        && s.gapsByKey.equals(gapsByKey)
        && s.keyFn.equals(keyFn);
  }

  @Override
  public int hashCode() {
    return defaultGap.hashCode() * 31 + gapsByKey.hashCode();
  }
}
