package io.candlebeam.runners;

import io.candlebeam.pipeline.JobConfig;
import io.candlebeam.pipeline.Launcher;
import io.candlebeam.pipeline.options.CandleOptions;
import java.util.List;
import org.apache.beam.runners.direct.DirectOptions;

/**
 * The DirectRunner (tests, small runs): a streaming run returns from {@code run()} at once
 * ({@code blockOnRun=false}) so the launcher prints counts every interval and stops it gracefully,
 * as on Spark and Flink.
 */
final class DirectAdapter extends NamedAdapter {
  static final String NAME = "DirectRunner";

  DirectAdapter() {
    super(NAME, "DirectOptions", java.util.Map.of());
  }

  @Override
  public void configure(CandleOptions options, List<String> typed, JobConfig config) {
    if (config.streaming() && !Launcher.given(typed, "--blockOnRun")) {
      options.as(DirectOptions.class).setBlockOnRun(false);
    }
  }
}
