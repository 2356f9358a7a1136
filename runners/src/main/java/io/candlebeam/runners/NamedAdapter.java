package io.candlebeam.runners;

import io.candlebeam.pipeline.RunnerAdapter;
import java.util.Map;

/** What every adapter states about its runner: its name, its options for help, its own flags. */
abstract class NamedAdapter implements RunnerAdapter {
  private final String runner;
  private final String optionsHelp;
  private final Map<String, String> ownFlags;

  NamedAdapter(String runner, String optionsHelp, Map<String, String> ownFlags) {
    this.runner = runner;
    this.optionsHelp = optionsHelp;
    this.ownFlags = Map.copyOf(ownFlags);
  }

  @Override
  public final String runner() {
    return runner;
  }

  @Override
  public final String optionsHelp() {
    return optionsHelp;
  }

  @Override
  public final Map<String, String> ownFlags() {
    return ownFlags;
  }
}
