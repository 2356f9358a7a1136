package io.candlebeam.pipeline;

import io.candlebeam.pipeline.options.CandleOptions;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.PipelineResult;

/**
 * What is specific to one Beam runner, behind one small interface. The pipeline, its options and
 * its commands know no runner; {@code runners/} holds one adapter per runner, and its {@code Main}
 * hands them to the {@link Launcher}. Adding a runner is one class there.
 *
 * <p>Call order: {@link #configure} while the flags are parsed (options only, no side effects),
 * {@link #prepare} just before the run, then {@link #counted} and {@link
 * #endsAvailableNowRun} while a streaming run is watched.
 */
public interface RunnerAdapter {
  /** The runner's name as {@code --runner} gives it: Beam's runner class name, e.g. SparkRunner. */
  String runner();

  /**
   * The flags that work with this runner only, each with where it works: they are refused on every
   * other runner ({@code --sparkMaster} on the FlinkRunner would silently do nothing).
   */
  default Map<String, String> ownFlags() {
    return Map.of();
  }

  /** The runner's options interface for {@code --help=<it>} (Beam lists its flags), or null. */
  default String optionsHelp() {
    return null;
  }

  /**
   * Fills in candlebeam's defaults for this runner that {@code typed} (the command line) does not
   * give, and refuses what this runner cannot run ({@link IllegalArgumentException}, naming the
   * fix). Changes the options only.
   */
  default void configure(CandleOptions options, List<String> typed, JobConfig config) {}

  /**
   * Side effects before the run (JVM properties, files beside a checkpoint, probing a broker).
   *
   * @throws IllegalArgumentException when the run must not start (e.g. a checkpoint written with
   *     other flags)
   */
  default void prepare(CandleOptions options, List<String> typed, JobConfig config) {}

  /** Whether this run will resume from a checkpoint it finds (start offsets are then not set). */
  default boolean resumesFromCheckpoint(CandleOptions options) {
    return false;
  }

  /**
   * A streaming run has started: say what the user can look at (a web UI's address). {@code
   * result} is the job as {@link #counted} gave it, called before this.
   */
  default void started(PipelineResult result, CandleOptions options, java.io.PrintStream out) {}

  /**
   * The running job as the launcher counts it: {@code result} itself when the runner reports its
   * metrics, one whose metrics come from elsewhere (a detached Flink job's, from Flink's REST API),
   * or null when nothing reports them.
   */
  default PipelineResult counted(PipelineResult result, CandleOptions options) {
    return result;
  }

  /**
   * Whether an {@code --availableNow} streaming run ends by itself once its sources are done; when
   * not, the launcher stops it once everything was read and the output settled.
   */
  default boolean endsAvailableNowRun() {
    return true;
  }

  /** A runner candlebeam has no adapter for: Beam's defaults, nothing added. */
  static RunnerAdapter plain(String runner) {
    return () -> runner;
  }
}
