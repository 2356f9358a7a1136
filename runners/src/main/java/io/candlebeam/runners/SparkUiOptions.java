package io.candlebeam.runners;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** The SparkRunner's web UI, a flag of candlebeam's Spark adapter. */
public interface SparkUiOptions extends PipelineOptions {
  @Description("SparkRunner streaming in local mode: serve Spark's web UI on 127.0.0.1:4040 (or the "
      + "next free port), its address printed at start. A cluster's UI is the cluster's.")
  @Default.Boolean(true)
  boolean getSparkUi();

  void setSparkUi(boolean value);
}
