package io.candlebeam.pipeline.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Hidden;
import org.apache.beam.sdk.options.PipelineOptions;

/** Where ticks come from. */
public interface SourceOptions extends PipelineOptions {
  @Description("Source: files (a bounded replay), kafka, socket or directory (unbounded).")
  @Default.String("files")
  String getSource();

  void setSource(String value);

  @Description("The job: candles (ticks to OHLC candles), words (word counts), devices (one "
      + "row per device of event documents) or records (Kafka records, key and headers as columns).")
  @Default.String("candles")
  String getJob();

  void setJob(String value);

  @Description("--job=candles: what a record is: ticker (Binance 24h-ticker JSON, the seed's "
      + "candles) or trade (Binance trade/aggTrade JSON: OHLCV bars by trade price, exact decimals).")
  @Default.String("ticker")
  String getInputFormat();

  void setInputFormat(String value);

  @Description("Drop repeated records within the watermark delay + allowed lateness (counted as "
      + "duplicates dropped): trades by (symbol, trade id), ticker snapshots by (symbol, "
      + "event_time). Default: on for --inputFormat=trade, off for ticker.")
  Boolean getDedup();

  void setDedup(Boolean value);

  @Description("Read each file whole, as one JSON document or array of documents (Spark's multiLine).")
  @Default.Boolean(false)
  boolean getMultiLine();

  void setMultiLine(boolean value);

  @Hidden
  @Description("Set by the launcher, not a user: read --source=files as a bounded source, a line "
      + "at a time (the SparkRunner keeps all of one DoFn call's output in memory).")
  @Default.Boolean(false)
  boolean getFilesAsSource();

  void setFilesAsSource(boolean value);

  @Description("Host of --source=socket (a TCP server sending lines, e.g. nc -lk 9999).")
  @Default.String("localhost")
  String getHost();

  void setHost(String value);

  @Description("Port of --source=socket.")
  @Default.Integer(9999)
  int getPort();

  void setPort(int value);

  @Description("--source=directory: file names to pick up (a glob).")
  @Default.String("*")
  String getFilePattern();

  void setFilePattern(String value);

  @Description("--source=directory: at most this many new files per micro-batch (0: no limit).")
  @Default.Integer(0)
  int getMaxFilesPerTrigger();

  void setMaxFilesPerTrigger(int value);

  @Description("--source=directory: read only the files present at start (maxFilesPerTrigger at a "
      + "time), then end: Spark's availableNow trigger, with final panes for every window.")
  @Default.Boolean(false)
  boolean getAvailableNow();

  void setAvailableNow(boolean value);

  @Description("--source=directory: off, delete or archive a file once processed.")
  @Default.String("off")
  String getCleanSource();

  void setCleanSource(String value);

  @Description("--source=directory with --cleanSource=archive: where processed files go.")
  String getSourceArchiveDir();

  void setSourceArchiveDir(String value);

  @Description("Glob of input files for --source=files (JSON lines; .gz/.bz2 by extension; default: "
      + "the bundled test data), or the directory to watch for --source=directory.")
  String getInput();

  void setInput(String value);

  @Description("Every unbounded source (Kafka, socket, directory): watermark = max event time seen - this delay (Spark's withWatermark); "
      + "for Kafka per partition, the job's being the minimum over partitions with data left.")
  @Default.String("1h")
  String getWatermarkDelay();

  void setWatermarkDelay(String value);

}
