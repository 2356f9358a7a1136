package io.candlebeam.pipeline.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Hidden;
import org.apache.beam.sdk.options.PipelineOptions;

/** Windows, lateness and output mode. Durations: 1d, 15m, 30s, 500ms or ISO-8601 (PT15M). */
public interface WindowOptions extends PipelineOptions {
  @Description("Tumbling (or, with --windowPeriod, sliding) window size.")
  @Default.String("1d")
  String getWindowSize();

  void setWindowSize(String value);

  @Description("Several tumbling timeframes at once, e.g. 1m,5m,1h,1d (instead of --windowSize): "
      + "one read, one parse, a bar per symbol and window of each; the timeframe is in every "
      + "path and key.")
  String getTimeframes();

  void setTimeframes(String value);

  @Description("Sliding window period: each tick falls in windowSize/windowPeriod windows.")
  String getWindowPeriod();

  void setWindowPeriod(String value);

  @Description("Session windows with this gap instead of fixed windows.")
  String getSessionGap();

  void setSessionGap(String value);

  @Description("Per-key session gaps, e.g. BTCUSDT=20m,ETHUSDT=5m (with --sessionGap).")
  String getSessionGapFor();

  void setSessionGapFor(String value);

  @Description("How late data may be, after the watermark passed a window's end.")
  @Default.String("1h")
  String getAllowedLateness();

  void setAllowedLateness(String value);

  @Description("Output mode: append (final + late panes), update (early panes too), complete.")
  @Default.String("append")
  String getOutputMode();

  void setOutputMode(String value);

  @Description("Processing time between early panes in update and complete modes.")
  @Default.String("5s")
  String getTriggerInterval();

  void setTriggerInterval(String value);

  @Hidden
  @Description("Set by the launcher, not a user: how often the runner evaluates processing-time "
      + "triggers, in ms (0: when due; the SparkRunner: once per micro-batch).")
  @Default.Long(0)
  long getTriggerCheckMillis();

  void setTriggerCheckMillis(long value);
}
