package io.candlebeam.runners;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka records with keys and headers as columns ({@code --job=records}), from one stream to JSON
 * files, an output topic and (when CANDLEBEAM_TEST_JDBC_URL is set, as in CI) PostgreSQL.
 */
class KafkaRecordsIT {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final String URL = System.getenv("CANDLEBEAM_TEST_JDBC_URL");

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void keysAndHeadersBecomeColumnsInEverySink(@TempDir Path dir) throws Exception {
    try (KafkaBroker broker = KafkaBroker.start(dir.resolve("broker"))) {
      broker.createTopic("events", 1);
      Properties p = new Properties();
      p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
      try (KafkaProducer<String, String> producer =
          new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
        for (String[] r : new String[][] {{"k1", "{\"n\":1}"}, {"k2", "{\"n\":2}"}, {"k3", "plain text"}}) {
          ProducerRecord<String, String> record = new ProducerRecord<>("events", r[0], r[1]);
          record.headers().add("content-type", "application/json".getBytes(StandardCharsets.UTF_8));
          producer.send(record).get();
        }
      }
      List<String> flags = new ArrayList<>(List.of("--job=records", "--source=kafka",
          "--topics=events", "--bootstrapServers=" + broker.bootstrapServers(),
          "--startingOffsets=earliest", "--outputDir=" + dir.resolve("out"), "--sparkMaster=local[2]",
          "--outputTopic=events-out", "--reportIntervalSeconds=1"));
      flags.add(URL == null ? "--sinks=json,kafka" : "--sinks=json,kafka,jdbc");
      if (URL != null) {
        flags.addAll(List.of("--jdbcUrl=" + URL, "--jdbcTable=kafka_records_it"));
      }
      JobProcess job = JobProcess.start(dir.resolve("job.out"), flags);
      job.await("three rows written", 180, () -> rows(dir.resolve("out/json")).size() == 3);
      assertThat(job.sigterm(), is(0));

      List<String> seen = new ArrayList<>();
      for (JsonNode r : rows(dir.resolve("out/json"))) {
        seen.add(r.get("key").asText() + " " + r.get("topic").asText() + " " + r.get("partition")
            + " " + r.get("header.content-type").asText() + " " + r.get("value"));
      }
      assertThat(seen, containsInAnyOrder("k1 events 0 application/json {\"n\":1}",
          "k2 events 0 application/json {\"n\":2}", "k3 events 0 application/json \"plain text\""));
      assertThat(outputTopicKeys(broker), containsInAnyOrder("k1", "k2", "k3"));
      if (URL != null) {
        try (Connection c = DriverManager.getConnection(URL, "postgres", System.getenv("PGPASSWORD"));
            ResultSet r = c.createStatement().executeQuery(
                "SELECT record->>'key', record->'value'->>'n' FROM kafka_records_it ORDER BY 1")) {
          List<String> table = new ArrayList<>();
          while (r.next()) {
            table.add(r.getString(1) + "=" + r.getString(2));
          }
          assertThat(table, is(List.of("k1=1", "k2=2", "k3=null")));
        }
      }
    }
  }

  private static List<JsonNode> rows(Path dir) {
    List<JsonNode> rows = new ArrayList<>();
    if (!Files.isDirectory(dir)) {
      return rows;
    }
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(f -> f.toString().endsWith(".jsonl")).toList()) {
        for (String line : Files.readAllLines(f)) {
          rows.add(MAPPER.readTree(line));
        }
      }
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    return rows;
  }

  private static List<String> outputTopicKeys(KafkaBroker broker) {
    Properties p = new Properties();
    p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrapServers());
    p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    p.put(ConsumerConfig.GROUP_ID_CONFIG, "check");
    List<String> keys = new ArrayList<>();
    try (KafkaConsumer<String, String> consumer =
        new KafkaConsumer<>(p, new StringDeserializer(), new StringDeserializer())) {
      consumer.subscribe(List.of("events-out"));
      for (int empty = 0; empty < 5; ) {
        var records = consumer.poll(java.time.Duration.ofSeconds(1));
        empty = records.isEmpty() ? empty + 1 : 0;
        records.forEach(r -> keys.add(r.key()));
      }
    }
    return keys;
  }
}
