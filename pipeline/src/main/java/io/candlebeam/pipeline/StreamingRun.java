package io.candlebeam.pipeline;

import java.io.PrintStream;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import io.candlebeam.transforms.CandleMetrics;
import io.candlebeam.transforms.directory.WatchDirectorySource;
import org.apache.beam.sdk.PipelineResult;
import org.joda.time.Duration;
import sun.misc.Signal;

/**
 * Watches a running streaming job on any runner (each runner's adapter makes {@code run()} return
 * at once: Spark streaming always does, Direct with {@code blockOnRun=false}, Flink detached):
 * prints its counts every interval (and writes them to {@code <outputDir>/report.json}, which
 * {@code serve} shows), and on SIGINT/SIGTERM stops
 * it gracefully (the runner finishes the micro-batch in progress and keeps its checkpoint), then
 * prints the final counts. An error the runner reports on stop (or a failed run) is rethrown after
 * the counts: the exit code says the run saw an error, never silently. Except the stop's own
 * interruption of a micro-batch that had not started, which is said in a note.
 *
 * <p>The stop happens on the main thread, with the JVM still fully alive: SIGINT and SIGTERM are
 * caught with a signal handler instead of a shutdown hook, because stopping Spark streaming from a
 * shutdown hook races Spark's own hooks and the executor's shutdown, and can deadlock. A SIGKILL
 * skips all of this; the checkpoint still lets the next run with the same flags resume.
 */
final class StreamingRun {
  static final int SETTLED_SECONDS = 10;

  private StreamingRun() {}

  /**
   * {@code countsLive}: whether the job's metrics can be read (not for a detached Flink job
   * without its REST API); the final
   * counts, or null when the runner reports none. {@code stopWhenSettled} ({@code --availableNow}
   * on a runner that does not end such a run itself): once the source has read everything that
   * was there and the output has not changed for {@value #SETTLED_SECONDS} s, the run stops as on
   * SIGTERM, as Spark's availableNow ends by itself.
   */
  static RunReport await(PipelineResult result, Set<String> sinks, boolean countsLive,
      boolean stopWhenSettled, int intervalSeconds, PrintStream out, String outputDir) {
    if (!countsLive) {
      out.println("candlebeam: the runner (e.g. Flink, detached, --flinkUi=false) reports no "
          + "counts to the launcher; the sinks' folders show the progress. Ctrl+C or SIGTERM "
          + "stops the job.");
    }
    CountDownLatch stopRequested = new CountDownLatch(1);
    for (String signal : new String[] {"INT", "TERM"}) {
      Signal.handle(new Signal(signal), s -> stopRequested.countDown());
    }
    ScheduledExecutorService reporter = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "candlebeam-report");
      t.setDaemon(true);
      return t;
    });
    if (countsLive) {
      reporter.scheduleAtFixedRate(() -> print(out, "running", RunReport.of(result, sinks),
          outputDir),
          intervalSeconds, intervalSeconds, TimeUnit.SECONDS);
    }
    RuntimeException error = null;
    try {
      RunReport lastOutput = null;
      int settled = 0;
      while (!result.getState().isTerminal()) {
        if (stopWhenSettled && stopRequested.getCount() > 0
            && CandleMetrics.gauges(result, WatchDirectorySource.AVAILABLE_NOW_READ).getOrDefault(
                WatchDirectorySource.AVAILABLE_NOW_READ, 0L) == 1) {
          RunReport output = RunReport.of(result, sinks);
          settled = output.equals(lastOutput) ? settled + 1 : 0;
          lastOutput = output;
          if (settled >= SETTLED_SECONDS) {
            out.println("candlebeam: --availableNow: everything that was there is read and "
                + "written");
            stopRequested.countDown();
          }
        }
        if (stopRequested.await(1, TimeUnit.SECONDS)) {
          out.println("candlebeam: stopping: finishing the current micro-batch...");
          result.cancel();
          if (countsLive) {
            result.waitUntilFinish(Duration.standardSeconds(60));
          } // else a cancelled detached Flink job takes its embedded cluster, and its state, with it
          break;
        }
      }
      if (stopRequested.getCount() > 0 && result.getState() == PipelineResult.State.FAILED) {
        result.waitUntilFinish(); // rethrows why
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (java.io.IOException e) {
      error = new IllegalStateException("stop failed: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      if (stopRequested.getCount() == 0 && interruptedByTheStop(e)) {
        // Spark's graceful stop interrupts its job generator; if that was planning the next
        // micro-batch (KafkaIO asks the broker for the topic's partitions there), the planning
        // fails and Spark reports it on stop. That batch never ran: nothing of it was written,
        // and its offsets are not in the checkpoint, so a restart reads it.
        out.println("candlebeam: note: the stop interrupted the planning of a micro-batch that "
            + "had not started (" + e.getClass().getSimpleName() + "); a restart reads it");
      } else {
        // For example a micro-batch that failed earlier (the stream carried on): Spark reports
        // it when the context stops. The counts are still printed, then the run fails loudly.
        error = e;
      }
    } finally {
      reporter.shutdownNow();
    }
    RunReport report = countsLive ? RunReport.of(result, sinks) : null;
    if (countsLive) {
      print(out, "stopped", report, outputDir);
    } else {
      out.println("candlebeam: stopped (no counts from the runner)");
    }
    if (error != null) {
      throw error;
    }
    return report;
  }

  /**
   * Whether an error is the interruption of a thread (an {@link InterruptedException}, an
   * interrupted I/O or a Kafka client's {@code InterruptException}, anywhere in its causes).
   */
  static boolean interruptedByTheStop(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause()) { // getCause() is never t itself
      if (t instanceof InterruptedException || t instanceof java.io.InterruptedIOException
          || t instanceof java.nio.channels.ClosedByInterruptException
          || t.getClass().getName().equals("org.apache.kafka.common.errors.InterruptException")) {
        return true;
      }
    }
    return false;
  }

  /** Prints the counts and writes them to the run's report file. */
  private static void print(PrintStream out, String state, RunReport report, String outputDir) {
    report.writeTo(outputDir, state);
    String time = LocalTime.now().truncatedTo(ChronoUnit.SECONDS).toString();
    report.toString().lines().forEach(l -> out.println("candlebeam [" + time + " " + state + "] " + l));
    out.flush();
  }
}
