package io.candlebeam.runners;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** The FlinkRunner's web UI, a flag of candlebeam's Flink adapter. */
public interface FlinkUiOptions extends PipelineOptions {
  @Description("FlinkRunner streaming on the embedded cluster: serve Flink's web UI and REST API "
      + "on 127.0.0.1, the first free port of 8081-8180, its address printed at start; the "
      + "launcher reads the job's counts from it. false: neither, and a detached job reports no "
      + "counts. A cluster's (--flinkMaster) UI is the cluster's.")
  @Default.Boolean(true)
  boolean getFlinkUi();

  void setFlinkUi(boolean value);
}
