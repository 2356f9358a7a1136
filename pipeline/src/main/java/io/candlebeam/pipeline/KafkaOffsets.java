package io.candlebeam.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * What candlebeam asks a Kafka broker before a job starts: the topics' partition count (Flink's
 * reader parallelism), and Spark's per-partition {@code startingOffsets}, which KafkaIO has no
 * option for: the offsets are committed for a consumer group before the job starts, and the job
 * reads as that group. Only for a fresh start: a run that resumes from its checkpoint continues
 * where the checkpoint says.
 */
public final class KafkaOffsets {
  private KafkaOffsets() {}

  /** Commits the JSON offsets ({@code {"topic":{"0":42,"1":-2}}}) and returns the group id. */
  static String commit(KafkaConfig kafka) {
    Map<TopicPartition, Long> wanted = parse(kafka.startingOffsets());
    String group = String.valueOf(kafka.clientConfig().getOrDefault("group.id",
        "candlebeam-" + Integer.toHexString(kafka.startingOffsets().hashCode())));
    try (Admin client = admin(kafka)) {
      // Explicit offsets are committed as they are; -2 and -1 are resolved by the broker first.
      Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
      Map<TopicPartition, OffsetSpec> resolve = new HashMap<>();
      wanted.forEach((tp, o) -> {
        if (o >= 0) {
          commit.put(tp, new OffsetAndMetadata(o));
        } else {
          resolve.put(tp, o == -2 ? OffsetSpec.earliest() : OffsetSpec.latest());
        }
      });
      client.listOffsets(resolve).all().get()
          .forEach((tp, r) -> commit.put(tp, new OffsetAndMetadata(r.offset())));
      client.alterConsumerGroupOffsets(group, commit).all().get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while setting starting offsets", e);
    } catch (ExecutionException e) {
      throw new IllegalArgumentException("--startingOffsets cannot be applied: "
          + e.getCause().getMessage());
    }
    return group;
  }

  /**
   * How many partitions the topics have together, or empty when the broker cannot say within 10 s
   * (not up yet, a topic not created yet): the job itself then waits for them as usual.
   */
  public static OptionalInt partitionCount(KafkaConfig kafka) {
    Admin client = admin(kafka);
    try {
      return OptionalInt.of(client.describeTopics(kafka.topics()).allTopicNames()
          .get(10, TimeUnit.SECONDS).values().stream()
          .mapToInt(topic -> topic.partitions().size()).sum());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return OptionalInt.empty();
    } catch (ExecutionException | TimeoutException | RuntimeException e) {
      return OptionalInt.empty();
    } finally {
      // close() waits for pending calls: with the broker away, the API timeout (60 s) more
      client.close(Duration.ofSeconds(1));
    }
  }

  /** An admin client with the job's client settings (security...). */
  private static Admin admin(KafkaConfig kafka) {
    Map<String, Object> admin = new HashMap<>(kafka.clientConfig());
    admin.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
    return Admin.create(admin);
  }

  static Map<TopicPartition, Long> parse(String json) {
    Map<TopicPartition, Long> offsets = new HashMap<>();
    try {
      JsonNode root = new ObjectMapper().readTree(json);
      for (Iterator<Map.Entry<String, JsonNode>> t = root.fields(); t.hasNext(); ) {
        Map.Entry<String, JsonNode> topic = t.next();
        for (Iterator<Map.Entry<String, JsonNode>> p = topic.getValue().fields(); p.hasNext(); ) {
          Map.Entry<String, JsonNode> partition = p.next();
          if (!partition.getValue().canConvertToLong() || partition.getValue().asLong() < -2) {
            throw new IllegalArgumentException("offset " + partition.getValue());
          }
          offsets.put(new TopicPartition(topic.getKey(), Integer.parseInt(partition.getKey())),
              partition.getValue().asLong());
        }
      }
    } catch (Exception e) {
      throw new IllegalArgumentException("--startingOffsets is not JSON offsets like "
          + "{\"crypto-prices\":{\"0\":42,\"1\":-2}} (-2 earliest, -1 latest): " + e.getMessage());
    }
    if (offsets.isEmpty()) {
      throw new IllegalArgumentException("--startingOffsets names no partition");
    }
    return offsets;
  }
}
