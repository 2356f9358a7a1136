package io.candlebeam.pipeline.options;

import org.apache.beam.sdk.options.Default;
import org.apache.beam.sdk.options.Description;
import org.apache.beam.sdk.options.PipelineOptions;

/** Flags of {@code candlebeam.jar produce}: replay tick files into Kafka. */
public interface ProducerOptions extends PipelineOptions {
  @Description("Glob of tick files to replay (default: the bundled test data).")
  String getInput();

  void setInput(String value);

  @Description("Topic to write to.")
  @Default.String("crypto-prices")
  String getTopic();

  void setTopic(String value);

  @Description("Kafka bootstrap servers.")
  @Default.String("localhost:9092")
  String getBootstrapServers();

  void setBootstrapServers(String value);

  @Description("Ticks per second, or max.")
  @Default.String("max")
  String getRate();

  void setRate(String value);

  @Description("Keep the original gaps between ticks (by event_time), divided by N; 0: off.")
  @Default.Double(0)
  double getSpeedup();

  void setSpeedup(double value);

  @Description("A properties file of Kafka client settings (SASL/SSL secrets).")
  String getKafkaConfigFile();

  void setKafkaConfigFile(String value);
}
