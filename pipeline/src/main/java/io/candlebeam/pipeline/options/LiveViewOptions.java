package io.candlebeam.pipeline.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** The live candle page inside a streaming run (the same page as the {@code serve} command). */
public interface LiveViewOptions extends PipelineOptions {
  @Description("Serve the live candle page while the streaming run goes (as the serve command "
      + "does, from this run's json/, parquet/ or jdbc sink), in the launcher's process.")
  @Default.Boolean(false)
  boolean getServe();

  void setServe(boolean value);

  @Description("--serve: the HTTP port (0: any free port).")
  @Default.Integer(8080)
  int getServePort();

  void setServePort(int value);

  @Description("--serve: the address to listen on (127.0.0.1: this machine only).")
  @Default.String("127.0.0.1")
  String getServeHost();

  void setServeHost(String value);
}
