package io.candlebeam.pipeline.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Where ticks come from. */
public interface SourceOptions extends PipelineOptions {
  @Description("Source of ticks: files (a bounded replay of tick files) or kafka (unbounded).")
  @Default.String("files")
  String getSource();

  void setSource(String value);

  @Description("The job: candles (ticks to OHLC candles), words (word counts) or devices (one "
      + "row per device of event documents).")
  @Default.String("candles")
  String getJob();

  void setJob(String value);

  @Description("Read each file whole, as one JSON document or array of documents (Spark's multiLine).")
  @Default.Boolean(false)
  boolean getMultiLine();

  void setMultiLine(boolean value);

  @Description("Glob of tick files for --source=files (JSON lines; .gz/.bz2 by extension). "
      + "Default: the bundled test data.")
  String getInput();

  void setInput(String value);
}
