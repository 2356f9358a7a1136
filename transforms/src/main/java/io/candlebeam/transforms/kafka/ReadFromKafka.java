package io.candlebeam.transforms.kafka;

import io.candlebeam.transforms.io.ReadLinesFromFiles;
import io.candlebeam.transforms.model.RawRecord;
import io.candlebeam.transforms.model.RawRecordCoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import io.candlebeam.transforms.window.ObservedWatermark;
import org.apache.beam.sdk.io.kafka.KafkaIO;
import org.apache.beam.sdk.io.kafka.KafkaRecord;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.joda.time.Duration;

/**
 * Reads Kafka records as {@link RawRecord}s: the value as the payload (UTF-8), origin {@code
 * topic/partition@offset}, and metadata {@code kafka.key}, {@code kafka.topic}, {@code
 * kafka.partition}, {@code kafka.offset}, {@code kafka.timestamp} and one {@code header.<name>} per
 * header (bytes as UTF-8). Element timestamps and the watermark come from {@link
 * EventTimeWatermarks}. Unbounded; uses KafkaIO's UnboundedSource (the SparkRunner cannot run the
 * splittable-DoFn reader in streaming mode).
 */
public final class ReadFromKafka extends PTransform<PBegin, PCollection<RawRecord>> {
  private final String bootstrapServers;
  private final List<String> topics;
  private final Map<String, Object> consumerConfig;
  private final Duration watermarkDelay;
  private final SerializableFunction<byte[], Long> eventTime;
  private final ObservedWatermark observed;

  /**
   * @param consumerConfig extra consumer settings (auto.offset.reset, group.id, security, SASL...)
   * @param eventTime event time (epoch ms) of a record value, or null if it has none
   * @param observed where the watermarks handed to the runner are reported
   */
  public ReadFromKafka(String bootstrapServers, List<String> topics,
      Map<String, Object> consumerConfig, Duration watermarkDelay,
      SerializableFunction<byte[], Long> eventTime, ObservedWatermark observed) {
    this.observed = observed;
    this.bootstrapServers = bootstrapServers;
    this.topics = List.copyOf(topics);
    this.consumerConfig = new LinkedHashMap<>(consumerConfig);
    this.watermarkDelay = watermarkDelay;
    this.eventTime = eventTime;
  }

  @Override
  public PCollection<RawRecord> expand(PBegin begin) {
    return begin
        .apply("ReadKafka", KafkaIO.<byte[], byte[]>read()
            .withBootstrapServers(bootstrapServers)
            .withTopics(topics)
            .withKeyDeserializer(ByteArrayDeserializer.class)
            .withValueDeserializer(ByteArrayDeserializer.class)
            .withConsumerConfigUpdates(consumerConfig)
            .withTimestampPolicyFactory(new EventTimeWatermarks(watermarkDelay, eventTime, observed)))
        .apply("ToRawRecords", ParDo.of(new ToRawRecord()))
        .setCoder(RawRecordCoder.of());
  }

  private static final class ToRawRecord extends DoFn<KafkaRecord<byte[], byte[]>, RawRecord> {
    private final Counter read = Metrics.counter("candlebeam", ReadLinesFromFiles.RECORDS_READ);

    @ProcessElement
    public void process(@Element KafkaRecord<byte[], byte[]> r, OutputReceiver<RawRecord> out) {
      read.inc();
      Map<String, String> meta = new LinkedHashMap<>();
      if (r.getKV().getKey() != null) {
        meta.put("kafka.key", utf8(r.getKV().getKey()));
      }
      meta.put("kafka.topic", r.getTopic());
      meta.put("kafka.partition", Integer.toString(r.getPartition()));
      meta.put("kafka.offset", Long.toString(r.getOffset()));
      meta.put("kafka.timestamp", Long.toString(r.getTimestamp()));
      if (r.getHeaders() != null) {
        for (Header h : r.getHeaders()) {
          meta.put("header." + h.key(), h.value() == null ? "" : utf8(h.value()));
        }
      }
      String payload = r.getKV().getValue() == null ? "" : utf8(r.getKV().getValue());
      out.output(new RawRecord(payload, r.getTopic() + "/" + r.getPartition() + "@" + r.getOffset(),
          meta));
    }

    private static String utf8(byte[] bytes) {
      return new String(bytes, StandardCharsets.UTF_8);
    }
  }
}
