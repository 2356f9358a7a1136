package io.candlebeam.pipeline.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Where candles and dead letters go. */
public interface SinkOptions extends PipelineOptions {
  @Description("Comma list of candle sinks: console, parquet, json, csv, kafka, jdbc.")
  @Default.String("console,parquet,json")
  String getSinks();

  void setSinks(String value);

  @Description("Output directory: parquet/, json/, csv/ and deadletter/ go under it.")
  @Default.String("out")
  String getOutputDir();

  void setOutputDir(String value);

  @Description("Parallelism: on Spark the partitions of the shuffles (spark.default.parallelism, "
      + "which Beam's SparkRunner uses for its GroupByKeys); on Flink its own --parallelism; "
      + "-1: the runner's default (all cores).")
  @Default.Integer(-1)
  Integer getParallelism();

  void setParallelism(Integer value);

  @Description("Batch runs: clear this run's sink folders under --outputDir first (as Spark's "
      + "overwrite mode). Streaming runs never clear: they resume.")
  @Default.Boolean(true)
  boolean getOverwrite();

  void setOverwrite(boolean value);
}
