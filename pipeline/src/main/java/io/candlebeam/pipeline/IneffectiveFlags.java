package io.candlebeam.pipeline;

import io.candlebeam.transforms.window.OutputMode;
import java.util.ArrayList;
import java.util.List;

/**
 * Flags that would have no effect in the chosen setting (runner, source, output mode) are refused
 * with one line naming the flag and where it does work, never silently ignored: a user who asks
 * for a rate limit on a runner that has none must learn so before the run, not after.
 */
final class IneffectiveFlags {
  private IneffectiveFlags() {}

  /** A flag and where it works. */
  private record Rule(String flag, String worksWith) {}

  private static final List<Rule> DIRECTORY = List.of(
      new Rule("--maxFilesPerTrigger", "--source=directory"),
      new Rule("--cleanSource", "--source=directory"),
      new Rule("--availableNow", "--source=directory"),
      new Rule("--filePattern", "--source=directory"));
  private static final List<Rule> KAFKA = List.of(
      new Rule("--idleTimeout", "--source=kafka"),
      new Rule("--kafkaReaders", "--source=kafka"),
      new Rule("--startingOffsets", "--source=kafka"),
      new Rule("--topics", "--source=kafka"));

  /** @throws IllegalArgumentException naming the first flag that would do nothing */
  static void refuse(List<String> args, RunnerAdapter chosen, List<RunnerAdapter> adapters,
      JobConfig config) {
    String runner = chosen.runner();
    List<Rule> dead = new ArrayList<>();
    for (RunnerAdapter other : adapters) {
      if (!other.runner().equals(runner)) {
        other.ownFlags().forEach((flag, where) -> dead.add(new Rule(flag, where)));
      }
    }
    if (!config.source().equals("directory")) {
      dead.addAll(DIRECTORY);
    }
    if (!config.source().equals("kafka")) {
      dead.addAll(KAFKA);
    }
    for (Rule r : dead) {
      if (Launcher.given(args, r.flag())) {
        throw new IllegalArgumentException(r.flag() + " has no effect here (--runner=" + runner
            + ", --source=" + config.source() + "): it works with " + r.worksWith()
            + "; drop it");
      }
    }
    for (String flag : new String[] {"--servePort", "--serveHost"}) {
      if (Launcher.given(args, flag) && config.serve() == null) {
        throw new IllegalArgumentException(flag + " has no effect without --serve: add --serve, "
            + "or drop it");
      }
    }
    if (Launcher.given(args, "--windowSize") && Launcher.given(args, "--timeframes")) {
      throw new IllegalArgumentException("--windowSize has no effect with --timeframes (each "
          + "timeframe is a window size): drop it, or list it in --timeframes");
    }
    if (Launcher.given(args, "--inputFormat") && !config.job().equals("candles")) {
      throw new IllegalArgumentException("--inputFormat has no effect with --job=" + config.job()
          + " (it reads its own records): it works with --job=candles; drop it");
    }
    if (Launcher.given(args, "--triggerInterval") && config.windowing().mode() == OutputMode.APPEND) {
      throw new IllegalArgumentException("--triggerInterval has no effect with --outputMode=append "
          + "(one pane per window, when the watermark passes it): use --outputMode=update for "
          + "early panes every interval, or drop it");
    }
  }
}
