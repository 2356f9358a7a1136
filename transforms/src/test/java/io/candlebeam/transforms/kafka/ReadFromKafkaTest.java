package io.candlebeam.transforms.kafka;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.hasEntry;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The consumer settings the Kafka source hands to KafkaIO. */
class ReadFromKafkaTest {
  private static final ReadFromKafka SOURCE = ReadFromKafka.of("localhost:9092", List.of("t"));

  @Test
  void fetchesWaitAtMostFiftyMillisecondsForCaughtUpPartitions() {
    assertThat(SOURCE.consumerSettings(), hasEntry("fetch.max.wait.ms", (Object) 50));
  }

  @Test
  void aSettingGivenByTheUserWinsOverTheSourcesDefault() {
    Map<String, Object> settings = SOURCE
        .withConsumerConfig(Map.of("fetch.max.wait.ms", "500", "group.id", "g"))
        .consumerSettings();
    assertThat(settings, hasEntry("fetch.max.wait.ms", (Object) "500"));
    assertThat(settings, hasEntry("group.id", (Object) "g"));
  }
}
