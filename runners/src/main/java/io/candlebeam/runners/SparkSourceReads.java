package io.candlebeam.runners;

import java.io.PrintStream;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.spark.storage.StorageLevel;
import org.apache.spark.streaming.StreamingContext;
import org.apache.spark.streaming.dstream.DStream;

/**
 * Keeps Spark from reading a micro-batch from Kafka twice. Beam's Spark source reads each
 * micro-batch inside Spark's {@code mapWithState}, whose RDD Spark caches {@code MEMORY_ONLY}
 * (hard-coded in {@code InternalMapWithStateDStream}) and uses several times: the runner's
 * watermark report, each output job, the next batch's state. When memory is short Spark drops the
 * cached block and computes it again, which reads Kafka again from wherever the source's reader
 * is: records counted and folded into candles twice (docs/watermarks.md). Cached {@code
 * MEMORY_AND_DISK}, a block that does not fit goes to local disk and is read back, never
 * recomputed.
 *
 * <p>The runner gives no hook between building the streaming graph and starting it, so this sets
 * the level on the running graph's {@code mapWithState} streams; Spark reads it for every batch it
 * generates from then on.
 */
final class SparkSourceReads {
  static final String MAP_WITH_STATE = "org.apache.spark.streaming.dstream.InternalMapWithStateDStream";

  private SparkSourceReads() {}

  /**
   * In the background (the launcher must go on to watch the run and catch SIGTERM; a context
   * restored from a checkpoint can take a while to start): waits for the streaming context to
   * start, then sets its source reads' storage level; says so on {@code out} if it could not.
   */
  static void spillToDiskOnceStarted(PrintStream out) {
    Thread t = new Thread(() -> {
      try {
        if (spillToDisk(300) == 0) {
          out.println("candlebeam: warning: Spark's source reads not found; under memory "
              + "pressure a micro-batch may be read twice (docs/watermarks.md)");
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } catch (RuntimeException e) {
        out.println("candlebeam: warning: Spark's source reads not set to spill to disk: " + e);
      }
    }, "candlebeam-spark-reads");
    t.setDaemon(true);
    t.start();
  }

  /**
   * Waits up to {@code seconds} for the streaming context to start, then sets its source reads'
   * storage level; returns how many streams it set (0: no context started in time).
   */
  static int spillToDisk(long seconds) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      scala.Option<StreamingContext> active = StreamingContext.getActive();
      if (active.isDefined()) {
        return spillToDisk(active.get());
      }
      Thread.sleep(100);
    }
    return 0;
  }

  /** Sets {@code MEMORY_AND_DISK} on every {@code mapWithState} stream of {@code ssc}'s graph. */
  static int spillToDisk(StreamingContext ssc) {
    int set = 0;
    Map<DStream<?>, Boolean> seen = new IdentityHashMap<>();
    Deque<DStream<?>> todo = new ArrayDeque<>(Arrays.asList(ssc.graph().getOutputStreams()));
    while (!todo.isEmpty()) {
      DStream<?> stream = todo.pop();
      if (seen.put(stream, true) != null) {
        continue;
      }
      if (stream.getClass().getName().equals(MAP_WITH_STATE)) {
        stream.storageLevel_$eq(StorageLevel.MEMORY_AND_DISK());
        set++;
      }
      scala.collection.Iterator<DStream<?>> parents = stream.dependencies().iterator();
      while (parents.hasNext()) {
        todo.push(parents.next());
      }
    }
    return set;
  }
}
