package io.candlebeam.pipeline.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.Hidden;
import org.apache.beam.sdk.options.PipelineOptions;

/** Kafka source and sink. Rate limit on Spark: --maxRecordsPerBatch (Spark's maxOffsetsPerTrigger). */
public interface KafkaOptions extends PipelineOptions {
  @Description("Kafka bootstrap servers, for --source=kafka and --sinks=kafka.")
  @Default.String("localhost:9092")
  String getBootstrapServers();

  void setBootstrapServers(String value);

  @Description("Topics to read, comma separated.")
  @Default.String("crypto-prices")
  String getTopics();

  void setTopics(String value);

  @Description("Where to start without a checkpoint: earliest, latest, or per-partition offsets as "
      + "JSON, as in Spark: {\"crypto-prices\":{\"0\":42,\"1\":-2}} (-2 earliest, -1 latest).")
  @Default.String("latest")
  String getStartingOffsets();

  void setStartingOffsets(String value);

  @Description("Extra Kafka client settings, key=value comma separated (e.g. "
      + "session.timeout.ms=30000,security.protocol=SSL). Put secrets in --kafkaConfigFile instead.")
  String getConsumerConfig();

  void setConsumerConfig(String value);

  @Description("A properties file of Kafka client settings (SASL/SSL secrets): read, never echoed.")
  String getKafkaConfigFile();

  void setKafkaConfigFile(String value);

  @Description("Kafka: a partition whose backlog is unknown and that sent nothing for this long "
      + "stops holding the watermark back (Flink's withIdleness); a caught-up partition never does.")
  @Default.String("1m")
  String getIdleTimeout();

  void setIdleTimeout(String value);

  @Description("Kafka: at most this many readers (splits); 0: the runner's choice. The SparkRunner "
      + "on a cluster (non-local master) uses 1 unless told, as its watermark is a max over readers; "
      + "local, streaming, the most that divide the partitions and leave a task slot free.")
  @Default.Integer(0)
  int getKafkaReaders();

  void setKafkaReaders(int value);

  @Description("Topic for --sinks=kafka: one JSON candle per record, key <symbol>|<window start>.")
  @Default.String("crypto-candles")
  String getOutputTopic();

  void setOutputTopic(String value);

  @Description("--sinks=kafka exactly once: candles go out in Kafka transactions (KafkaIO's "
      + "withEOS), committed at each Flink checkpoint; read the topic with "
      + "isolation.level=read_committed. FlinkRunner (and DirectRunner); the SparkRunner cannot.")
  @Default.Boolean(false)
  boolean getKafkaExactlyOnce();

  void setKafkaExactlyOnce(boolean value);

  @Hidden
  @Description("Set by the launcher, not a user: a folder where each Kafka read's end offsets are "
      + "logged, so that a read done again after a restart takes no more (the SparkRunner, "
      + "streaming: <checkpointDir>/kafka-reads).")
  String getKafkaReadLog();

  void setKafkaReadLog(String value);

  @Description("Streaming runs: seconds between printed counts.")
  @Default.Integer(10)
  int getReportIntervalSeconds();

  void setReportIntervalSeconds(int value);
}
