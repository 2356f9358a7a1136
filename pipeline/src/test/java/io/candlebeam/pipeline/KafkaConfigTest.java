package io.candlebeam.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Kafka flags: Spark-style starting offsets, client settings, and no secret in a log line. */
class KafkaConfigTest {

  @Test
  void jsonStartingOffsetsAsInSpark() {
    assertThat(KafkaOffsets.parse("{\"crypto-prices\":{\"0\":42,\"1\":-2},\"other\":{\"3\":-1}}"),
        is(Map.of(new TopicPartition("crypto-prices", 0), 42L,
            new TopicPartition("crypto-prices", 1), -2L, new TopicPartition("other", 3), -1L)));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> KafkaOffsets.parse("{\"crypto-prices\":{\"0\":-7}}"));
    assertThat(e.getMessage(), containsString("-2 earliest, -1 latest"));
  }

  /**
   * The launcher asks the broker for a topic's partitions; with no broker the count is unknown
   * after the 10 s wait, without the admin client's close holding the start up for its 60 s API
   * timeout (the guard below fails a run that would).
   */
  @Test
  @Timeout(value = 40, unit = TimeUnit.SECONDS)
  void thePartitionCountOfAnAbsentBrokerIsUnknown() throws Exception {
    int port;
    try (java.net.ServerSocket free = new java.net.ServerSocket(0)) {
      port = free.getLocalPort(); // nothing listens there once closed
    }
    KafkaConfig kafka = Launcher.plain().parse(new String[] {"--runner=DirectRunner",
        "--source=kafka", "--bootstrapServers=127.0.0.1:" + port}).config().kafka();
    assertThat(KafkaOffsets.partitionCount(kafka), is(OptionalInt.empty()));
  }

  @Test
  void clientSettingsComeFromTheFileAndFlagAndSecretsAreNeverPrinted(@TempDir Path dir)
      throws Exception {
    Path secrets = Files.writeString(dir.resolve("kafka.properties"),
        "security.protocol=SASL_SSL\nsasl.jaas.config=org.apache.kafka.common.security.plain."
            + "PlainLoginModule required username=\"u\" password=\"hunter2\";\n");
    KafkaConfig kafka = Launcher.plain().parse(new String[] {"--runner=DirectRunner",
        "--source=kafka",
        "--kafkaConfigFile=" + secrets, "--consumerConfig=session.timeout.ms=30000",
        "--startingOffsets=earliest"}).config().kafka();
    assertThat(kafka.consumerConfig().get("security.protocol"), is("SASL_SSL"));
    assertThat(kafka.consumerConfig().get("session.timeout.ms"), is("30000"));
    assertThat(kafka.consumerConfig().get("auto.offset.reset"), is("earliest"));
    assertThat(kafka.toString().contains("hunter2"), is(false));
    assertThat(kafka.toString(), containsString("sasl.jaas.config"));
  }

  /** The watermark's event time from Kafka's bytes is the one the job reads from the text. */
  @Test
  void eventTimeOfBytesAgreesWithTheTextReader() {
    for (String input : new String[] {"ticker", "trade"}) {
      JobConfig config = Launcher.plain().parse(new String[] {"--runner=DirectRunner",
          "--source=kafka", "--inputFormat=" + input}).config();
      for (String payload : new String[] {
          "{\"symbol\":\"BTCUSDT\",\"event_time\":1709251202711,\"price\":1.5}",
          "{\"e\":\"trade\",\"s\":\"BTCUSDT\",\"t\":7,\"p\":\"1.5\",\"q\":\"2\","
              + "\"T\":1709251202711}",
          "{\"event_time\":\"1709251202711\",\"T\":17}", "not json", "",
          "{\"x\":{\"y\":1},\"event_time\":1709251202712,\"T\":1709251202713}"}) {
        assertThat(input + ": " + payload,
            config.eventTimeOfBytes().apply(payload.getBytes(StandardCharsets.UTF_8)),
            is(config.eventTime().apply(payload)));
      }
    }
  }
}
