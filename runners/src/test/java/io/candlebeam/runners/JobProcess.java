package io.candlebeam.runners;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The candlebeam jar run as a separate process, as a user runs it, for tests that kill it. */
final class JobProcess {
  private static final Pattern COUNTS =
      Pattern.compile("records read (\\d+) = too late (\\d+) \\+ parsed (\\d+) \\+ dead letters (\\d+)");

  private static final Pattern OFFSETS = Pattern.compile("kafka offsets read (\\d+)");

  /** Jobs still running when the tests' JVM exits (a test that failed mid-way) are killed. */
  private static final java.util.Set<Process> STARTED =
      java.util.concurrent.ConcurrentHashMap.newKeySet();

  static {
    Runtime.getRuntime().addShutdownHook(new Thread(() -> STARTED.forEach(Process::destroyForcibly)));
  }

  private final Process process;
  private final Path stdout;

  private JobProcess(Process process, Path stdout) {
    this.process = process;
    this.stdout = stdout;
  }

  static JobProcess start(Path stdout, List<String> args) throws IOException {
    return start(stdout, List.of(), args);
  }

  /** With JVM options (such as -Dspark.* settings) before {@code -jar}. */
  static JobProcess start(Path stdout, List<String> jvmOptions, List<String> args) throws IOException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    command.addAll(jvmOptions);
    command.addAll(List.of("-jar", Path.of("target", "candlebeam.jar").toAbsolutePath().toString()));
    command.addAll(args);
    Process p = new ProcessBuilder(command)
        .redirectOutput(stdout.toFile())
        .redirectError(stderr(stdout).toFile())
        .start();
    STARTED.add(p);
    return new JobProcess(p, stdout);
  }

  /** The last "records read" count the job printed, or -1. */
  long recordsRead() {
    return lastCounts()[0];
  }

  /** {records read, parsed, dead letters, too late} as last printed, or -1s. */
  long[] lastCounts() {
    long[] last = {-1, -1, -1, -1};
    try {
      Matcher m = COUNTS.matcher(Files.readString(stdout));
      while (m.find()) {
        last = new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(3)),
            Long.parseLong(m.group(4)), Long.parseLong(m.group(2))};
      }
    } catch (IOException e) {
      // not written yet
    }
    return last;
  }

  /** The last "kafka offsets read" the job printed (exact across restarts), or -1. */
  long offsetsRead() {
    long last = -1;
    try {
      Matcher m = OFFSETS.matcher(Files.readString(stdout));
      while (m.find()) {
        last = Long.parseLong(m.group(1));
      }
    } catch (IOException e) {
      // not written yet
    }
    return last;
  }

  /** Stdout, then the last lines of stderr (for failure messages). */
  String output() throws IOException {
    return Files.readString(stdout) + "\n--- stderr (tail) ---\n"
        + tail(stderr(stdout), 40);
  }

  /** Stdout and all of stderr. */
  String fullOutput() throws IOException {
    return Files.readString(stdout) + "\n" + Files.readString(stderr(stdout));
  }

  void sigkill() throws InterruptedException {
    process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
  }

  /**
   * SIGTERM, then waits for the graceful stop; returns the exit code. A stop that is not clean
   * prints the end of the job's standard error, which its temporary folder will not keep.
   */
  int sigterm() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError(
          "the job did not stop within 120 s of SIGTERM:\n" + tail(stderr(stdout), 60));
    }
    if (process.exitValue() != 0) {
      System.err.println("JobProcess: exit code " + process.exitValue() + " after SIGTERM; the end "
          + "of the job's standard error:\n" + tail(stderr(stdout), 60));
    }
    return process.exitValue();
  }

  /** Waits for the job to end by itself (a batch run); returns its exit code. */
  int waitFor(long seconds) throws InterruptedException {
    if (!process.waitFor(seconds, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("the job did not finish within " + seconds + " s");
    }
    return process.exitValue();
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** Waits until {@code condition} holds; fails with the job's output if it does not in time. */
  void await(String what, long seconds, BooleanSupplier condition) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
    while (!condition.getAsBoolean()) {
      if (!process.isAlive() || System.nanoTime() > deadline) {
        process.destroyForcibly(); // a job left running would load the tests after this one
        throw new AssertionError("waited for " + what + (process.isAlive() ? " in vain" : ": the job died")
            + "\n" + output());
      }
      Thread.sleep(200);
    }
  }

  /** The job's standard error, written beside its standard output {@code stdout}. */
  private static Path stderr(Path stdout) {
    return stdout.resolveSibling(stdout.getFileName() + ".err");
  }

  /** The last {@code count} lines of {@code file}, empty if it cannot be read. */
  private static String tail(Path file, int count) {
    try {
      List<String> lines = Files.readAllLines(file);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - count), lines.size()));
    } catch (IOException e) {
      return "";
    }
  }
}
