package org.apache.beam.sdk.io.kafka;

import java.util.List;
import org.apache.beam.sdk.io.UnboundedSource;

/**
 * The two package-private doors of KafkaIO that candlebeam's Kafka source needs: the {@link
 * UnboundedSource} a {@link KafkaIO.Read} builds, and the partitions a split of it reads. With
 * them {@code io.candlebeam.transforms.kafka.KafkaRecordSource} wraps KafkaIO's own reader (consumer
 * threads, offsets, checkpoint marks, offset commits) instead of re-implementing it, to choose the
 * number of readers and to report a watermark over all partitions. Checked against Beam 2.62.
 */
public final class KafkaSourceAccess {
  private KafkaSourceAccess() {}

  /** The legacy UnboundedSource of {@code read} (the one the SparkRunner can run). */
  public static UnboundedSource<KafkaRecord<byte[], byte[]>, KafkaCheckpointMark> unboundedSource(
      KafkaIO.Read<byte[], byte[]> read) {
    return read.makeSource();
  }

  /** The partitions (as {@code topic-partition}) that a split made by {@code split()} reads. */
  public static List<String> partitionsOf(UnboundedSource<?, ?> split) {
    return ((KafkaUnboundedSource<?, ?>) split).getSpec().getTopicPartitions().stream()
        .map(Object::toString).toList();
  }
}
