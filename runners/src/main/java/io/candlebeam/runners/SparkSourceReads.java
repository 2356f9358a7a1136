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
 * micro-batch inside Spark's {@code mapWithState}; a read is bounded by time (the read window),
 * not by offsets, so reading a batch again can take other records than the first time. Two things
 * made Spark read a batch again:
 *
 * <ul>
 *   <li>Memory: Spark caches the read {@code MEMORY_ONLY} (hard-coded in {@code
 *       InternalMapWithStateDStream}) and uses it several times (the runner's watermark report,
 *       each output job, the next batch's state); when memory is short it drops the block and
 *       computes it again: records counted and folded into candles twice (docs/watermarks.md).
 *       Cached {@code MEMORY_AND_DISK}, a block that does not fit goes to local disk and is read
 *       back, never recomputed.
 *   <li>Restarts: Spark restores a read after a crash only from an RDD checkpoint, every 10
 *       batches by default, and reads the batches since then again from the last checkpointed
 *       offsets to rebuild the state, without running their outputs again: records that only the
 *       second reading took reached the candles but no dead-letter or {@code late/} file
 *       (docs/kafka.md). The read is checkpointed every batch instead (a file of the batch's
 *       records); the runner's other state keeps Spark's interval, since it is rebuilt from the
 *       checkpointed reads. Unless {@code --checkpointDurationMillis} is given, which Beam applies
 *       to every stateful stream.
 * </ul>
 *
 * <p>The runner gives no hook between building the streaming graph and starting it, so this sets
 * both on the running graph's {@code mapWithState} streams; Spark reads them for every batch it
 * generates from then on, and writes them into its checkpoint of the graph.
 */
final class SparkSourceReads {
  static final String MAP_WITH_STATE = "org.apache.spark.streaming.dstream.InternalMapWithStateDStream";

  private SparkSourceReads() {}

  /**
   * In the background (the launcher must go on to watch the run and catch SIGTERM; a context
   * restored from a checkpoint can take a while to start): waits for the streaming context to
   * start, then sets its source reads' storage level and, when {@code checkpointEveryBatch}, their
   * checkpoint interval; says so on {@code out} if it could not.
   */
  static void keepOnceStarted(PrintStream out, boolean checkpointEveryBatch) {
    Thread t = new Thread(() -> {
      try {
        if (keep(300, checkpointEveryBatch) == 0) {
          out.println("candlebeam: warning: Spark's source reads not found; under memory "
              + "pressure or after a restart a micro-batch may be read twice (docs/kafka.md)");
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
   * storage level (and checkpoint interval); returns how many streams it set (0: no context
   * started in time).
   */
  static int keep(long seconds, boolean checkpointEveryBatch) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (System.nanoTime() < deadline) {
      scala.Option<StreamingContext> active = StreamingContext.getActive();
      if (active.isDefined()) {
        return keep(active.get(), checkpointEveryBatch);
      }
      Thread.sleep(100);
    }
    return 0;
  }

  /**
   * Sets {@code MEMORY_AND_DISK} on every {@code mapWithState} stream of {@code ssc}'s graph and,
   * when {@code checkpointEveryBatch}, a checkpoint every batch interval.
   */
  static int keep(StreamingContext ssc, boolean checkpointEveryBatch) {
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
        if (checkpointEveryBatch) {
          stream.checkpointDuration_$eq(stream.slideDuration());
        }
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
