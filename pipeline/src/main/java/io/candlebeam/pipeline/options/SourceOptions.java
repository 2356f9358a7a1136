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

  @Description("Glob of tick files for --source=files (JSON lines; .gz/.bz2 by extension). "
      + "Default: the bundled test data.")
  String getInput();

  void setInput(String value);
}
