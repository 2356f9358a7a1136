package io.candlebeam.pipeline;

import io.candlebeam.pipeline.options.CandleOptions;
import io.candlebeam.pipeline.options.Durations;
import io.candlebeam.transforms.kafka.ReadFromKafka;
import io.candlebeam.transforms.kafka.WriteToKafka;
import org.apache.beam.sdk.transforms.SerializableFunction;
import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.joda.time.Duration;

/**
 * Kafka settings as typed values. Client settings come from {@code --consumerConfig} and {@code
 * --kafkaConfigFile}; {@link #toString()} shows their keys only, so secrets never reach a log.
 * {@code readLog}: where the source logs its reads' end offsets (null: nowhere; {@link
 * ReadFromKafka#withReadLog}).
 */
public record KafkaConfig(String bootstrapServers, List<String> topics, String startingOffsets,
    Map<String, Object> clientConfig, Duration watermarkDelay, Duration idleTimeout, int readers,
    String outputTopic, boolean exactlyOnce, String readLog) {

  public static KafkaConfig from(CandleOptions o) {
    List<String> topics = Arrays.stream(o.getTopics().split(",")).map(String::trim)
        .filter(t -> !t.isEmpty()).toList();
    if (topics.isEmpty()) {
      throw new IllegalArgumentException("--topics is empty: name a topic, e.g. --topics=crypto-prices");
    }
    String start = o.getStartingOffsets().trim();
    if (!start.equals("earliest") && !start.equals("latest") && !start.startsWith("{")) {
      throw new IllegalArgumentException("--startingOffsets=" + start
          + " is not earliest, latest or JSON offsets like {\"crypto-prices\":{\"0\":42}}");
    }
    Map<String, Object> client = new LinkedHashMap<>();
    if (o.getKafkaConfigFile() != null) {
      Properties p = new Properties();
      try (Reader r = Files.newBufferedReader(Path.of(o.getKafkaConfigFile()))) {
        p.load(r);
      } catch (IOException e) {
        throw new IllegalArgumentException(
            "--kafkaConfigFile=" + o.getKafkaConfigFile() + " cannot be read: " + e.getMessage());
      }
      p.forEach((k, v) -> client.put(k.toString(), v.toString()));
    }
    if (o.getConsumerConfig() != null && !o.getConsumerConfig().isBlank()) {
      for (String pair : o.getConsumerConfig().split(",")) {
        String[] kv = pair.split("=", 2);
        if (kv.length != 2 || kv[0].isBlank()) {
          throw new IllegalArgumentException("--consumerConfig: '" + pair.split("=", 2)[0]
              + "' is not key=value, e.g. session.timeout.ms=30000");
        }
        client.put(kv[0].trim(), kv[1].trim());
      }
    }
    return new KafkaConfig(o.getBootstrapServers(), topics, start, client,
        Durations.parse("watermarkDelay", o.getWatermarkDelay()),
        Durations.parse("idleTimeout", o.getIdleTimeout()), Math.max(0, o.getKafkaReaders()),
        o.getOutputTopic(), o.getKafkaExactlyOnce(), o.getKafkaReadLog());
  }

  /**
   * The sink to {@code outputTopic}; exactly once under a group id stable for the topic, so a
   * restarted job continues the sink's committed sequence instead of starting another.
   */
  public WriteToKafka sink() {
    WriteToKafka sink = WriteToKafka.topic(bootstrapServers, outputTopic, clientConfig);
    return exactlyOnce ? sink.exactlyOnce("candlebeam-eos-" + outputTopic) : sink;
  }

  /** The source of {@code topics}, event time read by {@code eventTime}. */
  public ReadFromKafka source(SerializableFunction<byte[], Long> eventTime) {
    return ReadFromKafka.of(bootstrapServers, topics).withConsumerConfig(consumerConfig())
        .withEventTime(eventTime).withWatermarkDelay(watermarkDelay).withIdleTimeout(idleTimeout)
        .withReaders(readers).withReadLog(readLog);
  }

  /** The consumer's settings: the client settings plus where to start. */
  public Map<String, Object> consumerConfig() {
    Map<String, Object> c = new LinkedHashMap<>(clientConfig);
    if (!startingOffsets.startsWith("{")) {
      c.putIfAbsent("auto.offset.reset", startingOffsets);
    }
    return c;
  }

  @Override
  public String toString() {
    return "KafkaConfig[bootstrapServers=" + bootstrapServers + ", topics=" + topics
        + ", startingOffsets=" + startingOffsets + ", clientConfig keys=" + clientConfig.keySet()
        + ", watermarkDelay=" + watermarkDelay + ", idleTimeout=" + idleTimeout
        + ", readers=" + readers + ", outputTopic=" + outputTopic
        + ", exactlyOnce=" + exactlyOnce + ", readLog=" + readLog + "]";
  }
}
