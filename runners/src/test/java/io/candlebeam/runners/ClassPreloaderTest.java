package io.candlebeam.runners;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ClassPreloaderTest {
  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(delimiter = '|', value = {
      "''                                              | SparkRunner",
      "--input=x.jsonl                                 | SparkRunner",
      "--runner=FlinkRunner --input=x.jsonl            | FlinkRunner",
      "--input=x.jsonl --runner=DirectRunner           | DirectRunner",
      "--runner=org.apache.beam.runners.flink.FlinkRunner | FlinkRunner",
      "--runner=FlinkRunner --help                     | none",
      "--help=SparkPipelineOptions                     | none",
  })
  void theListIsTheRunnerTheCandleJobRunsOn(String line, String expected) {
    String[] args = line.isBlank() ? new String[0] : line.trim().split(" +");
    assertThat(ClassPreloader.runnerOf(args, SparkAdapter.NAME),
        is(expected.equals("none") ? Optional.empty() : Optional.of(expected)));
  }

  /**
   * The lists are written from a run (runners/preload-classes.sh); a list gone stale after an
   * upgrade would only lose the speed-up, so this asks for it to be written again.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {SparkAdapter.NAME, FlinkAdapter.NAME, DirectAdapter.NAME})
  void everyRunnersListNamesClassesOnTheClassPath(String runner) {
    List<String> names = ClassPreloader.list(runner).orElseThrow();
    List<String> missing = new ArrayList<>();
    for (String name : names) {
      if (getClass().getClassLoader().getResource(name.replace('.', '/') + ".class") == null) {
        missing.add(name);
      }
    }
    assertThat(names.size(), greaterThan(5_000));
    assertThat("missing (run runners/preload-classes.sh): " + missing.stream().limit(20).toList(),
        missing.size() * 100 < names.size(), is(true));
  }

  @Test
  void aRunnerWithoutAListHasNone() {
    assertThat(ClassPreloader.list("NoSuchRunner"), is(Optional.empty()));
  }

  @Test
  void loadingSkipsWhatIsMissingAndInitializesNothing() {
    RecordingLoader loader = new RecordingLoader(getClass().getClassLoader());
    int loaded = ClassPreloader.load(List.of(Probe.class.getName(), "no.such.Clazz",
        String.class.getName()), loader);
    assertThat(loaded, is(2));
    assertThat(loader.asked, is(List.of(Probe.class.getName(), "no.such.Clazz",
        String.class.getName())));
    // loaded, not initialized: Probe's static initializer has not run
    assertThat(Flag.probeInitialized, is(false));
  }

  @Test
  void theCandleJobStartsADaemonThatEndsAndHelpNone() throws InterruptedException {
    assertThat(ClassPreloader.startFor(new String[] {"--help"}, SparkAdapter.NAME),
        is(Optional.empty()));
    Thread thread = ClassPreloader.startFor(new String[] {"--runner=" + DirectAdapter.NAME},
        SparkAdapter.NAME).orElseThrow();
    assertThat(thread.isDaemon(), is(true));
    thread.join(120_000);
    assertThat(thread.isAlive(), is(false));
  }

  @Test
  void theSwitchTurnsItOff() {
    System.setProperty(ClassPreloader.SWITCH, "false");
    try {
      assertThat(ClassPreloader.startFor(new String[0], SparkAdapter.NAME), is(Optional.empty()));
    } finally {
      System.clearProperty(ClassPreloader.SWITCH);
    }
    assertThat(ClassPreloader.list(SparkAdapter.NAME).orElseThrow(), not(empty()));
  }

  /** Records the names it is asked for and delegates. */
  private static final class RecordingLoader extends ClassLoader {
    final List<String> asked = new ArrayList<>();

    RecordingLoader(ClassLoader parent) {
      super(parent);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      asked.add(name);
      return super.loadClass(name, resolve);
    }
  }

  private static final class Flag {
    static boolean probeInitialized;
  }

  private static final class Probe {
    static {
      Flag.probeInitialized = true;
    }
  }
}
