package io.candlebeam.pipeline;

import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** Polling for what a streaming job in the same JVM has written. */
final class Await {
  private Await() {}

  /** Waits until {@code condition} holds; fails naming {@code what} after {@code seconds}. */
  static void until(String what, long seconds, BooleanSupplier condition) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("waited in vain for " + what);
      }
      Thread.sleep(100);
    }
  }
}
