package io.candlebeam.runners;

import io.candlebeam.pipeline.Launcher;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * Loads the classes a run of a runner will load, on a background thread, while the main thread
 * parses the options (Beam's options registry alone takes 2-3 s of one core) and builds the
 * pipeline. A JVM loads and verifies the ~7,000-10,000 classes of Beam, Spark or Flink one at a
 * time on the thread that first needs them; loaded ahead, the main thread finds most of them
 * ready. The default command (the bundled data), 5 runs each on 2 cores: SparkRunner median 11.4
 * → 8.8 s, FlinkRunner 12.2 → 10.2 s (docs/benchmarks.md, session 12).
 *
 * <p>The lists are resources, {@code preload/<runner>.classes}: the classes, in load order, that
 * a batch run of the bundled data loaded after {@code Main}, written by {@code
 * runners/preload-classes.sh}. A list that is out of date costs nothing but the speed-up: a name
 * that no longer exists is skipped, a class it lacks is loaded when needed, as without it.
 * Classes are only loaded, never initialized: no static initializer runs earlier than it would.
 */
final class ClassPreloader {
  /** {@code -Dcandlebeam.preload=false} turns it off (to measure it, or to record a list). */
  static final String SWITCH = "candlebeam.preload";

  private ClassPreloader() {}

  /**
   * Starts preloading for the runner the candle job's flags ask for, unless they ask for {@code
   * --help} or {@value #SWITCH} is false; the thread reads the runner's list itself (nothing is
   * added to the main thread's start) and is a daemon, never delaying the exit.
   */
  static Optional<Thread> startFor(String[] jobArgs, String defaultRunner) {
    if (!Boolean.parseBoolean(System.getProperty(SWITCH, "true"))) {
      return Optional.empty();
    }
    return runnerOf(jobArgs, defaultRunner).map(runner -> {
      Thread thread = new Thread(() -> list(runner).ifPresent(
          names -> load(names, ClassPreloader.class.getClassLoader())), "candlebeam-preload");
      thread.setDaemon(true);
      thread.start();
      return thread;
    });
  }

  /**
   * The simple name of the runner the candle job's flags ask for ({@code --runner=X}, X simple or
   * qualified), the default without the flag; empty for {@code --help}, which runs nothing.
   */
  static Optional<String> runnerOf(String[] jobArgs, String defaultRunner) {
    List<String> args = List.of(jobArgs);
    if (Launcher.given(args, "--help")) {
      return Optional.empty();
    }
    String runner = defaultRunner;
    for (String a : args) {
      if (a.startsWith("--runner=")) {
        String given = a.substring("--runner=".length());
        runner = given.substring(given.lastIndexOf('.') + 1);
      }
    }
    return Optional.of(runner);
  }

  /** The class names of a runner's list, empty when there is none. */
  static Optional<List<String>> list(String runner) {
    InputStream in = ClassPreloader.class.getResourceAsStream("preload/" + runner + ".classes");
    if (in == null) {
      return Optional.empty();
    }
    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      return Optional.of(r.lines().map(String::strip)
          .filter(s -> !s.isEmpty() && !s.startsWith("#")).toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Loads each named class without initializing it; returns how many were found. A name not on
   * the class path, or a class that cannot be loaded, is skipped: the run loads what it needs
   * itself, and reports any failure where it happens.
   */
  static int load(List<String> names, ClassLoader loader) {
    int loaded = 0;
    for (String name : names) {
      try {
        Class.forName(name, false, loader);
        loaded++;
      } catch (ClassNotFoundException | LinkageError e) {
        // out of date or not loadable here: the run itself decides
      }
    }
    return loaded;
  }
}
