package io.candlebeam.transforms.model;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.not;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.beam.sdk.testing.CoderProperties;
import org.apache.beam.sdk.util.CoderUtils;
import org.apache.beam.sdk.util.VarInt;
import org.junit.jupiter.api.Test;

/** {@link RawRecordCoder} with plain and Kafka metadata, and {@link KafkaMetadata} as a map. */
class RawRecordCoderTest {
  private static final String TICK = "{\"symbol\":\"BTCUSDT\",\"price\":\"1.5\"}";

  private static KafkaMetadata kafka(byte[] key, String[] names, byte[][] values) {
    return new KafkaMetadata("crypto-prices", 2, 1234L, 1_700_000_000_123L, key, names, values);
  }

  @Test
  void kafkaMetadataReadsAsTheStringMapOfItsFields() {
    KafkaMetadata meta = kafka("BTCUSDT".getBytes(UTF_8),
        new String[] {"content-type", "empty", "trace", "trace"},
        new byte[][] {"application/json".getBytes(UTF_8), null, "a".getBytes(UTF_8),
            "b".getBytes(UTF_8)});
    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("kafka.key", "BTCUSDT");
    expected.put("kafka.topic", "crypto-prices");
    expected.put("kafka.partition", "2");
    expected.put("kafka.offset", "1234");
    expected.put("kafka.timestamp", "1700000000123");
    expected.put("header.content-type", "application/json");
    expected.put("header.empty", ""); // a header without a value
    expected.put("header.trace", "b"); // the last of a repeated name
    assertThat(meta, equalTo(expected));
    assertThat(expected, equalTo(meta));
    assertThat(meta.hashCode(), equalTo(expected.hashCode()));
    assertThat(meta.origin(), equalTo("crypto-prices/2@1234"));
  }

  @Test
  void aRecordWithoutKeyOrHeadersHasOnlyTheKafkaFields() {
    KafkaMetadata meta = kafka(null, new String[0], new byte[0][]);
    assertThat(meta, equalTo(Map.of("kafka.topic", "crypto-prices", "kafka.partition", "2",
        "kafka.offset", "1234", "kafka.timestamp", "1700000000123")));
  }

  @Test
  void kafkaRecordsRoundTripAsKafkaMetadata() throws Exception {
    KafkaMetadata meta = kafka("k".getBytes(UTF_8), new String[] {"h", "none"},
        new byte[][] {"v".getBytes(UTF_8), null});
    RawRecord record = new RawRecord(TICK, meta.origin(), meta, 42L);
    CoderProperties.coderDecodeEncodeEqual(RawRecordCoder.of(), record);
    CoderProperties.coderDeterministic(RawRecordCoder.of(), record,
        new RawRecord(TICK, meta.origin(), meta, 42L));
    RawRecord decoded = CoderUtils.clone(RawRecordCoder.of(), record);
    assertThat(decoded.metadata(), instanceOf(KafkaMetadata.class));
    // the same record with its metadata as a plain map is equal, whichever way it is encoded
    RawRecord plain = new RawRecord(TICK, meta.origin(), new LinkedHashMap<>(meta), 42L);
    assertThat(plain.metadata(), not(instanceOf(KafkaMetadata.class)));
    assertThat(CoderUtils.clone(RawRecordCoder.of(), plain), equalTo(decoded));
  }

  @Test
  void recordsWithoutMetadataAndWithPlainMetadataRoundTrip() throws Exception {
    CoderProperties.coderDecodeEncodeEqual(RawRecordCoder.of(), RawRecord.of(TICK, "f:1"));
    CoderProperties.coderDecodeEncodeEqual(RawRecordCoder.of(),
        new RawRecord(TICK, "socket:3", Map.of("b", "2", "a", "1", "c", ""), 7L));
    CoderProperties.coderDecodeEncodeEqual(RawRecordCoder.of(),
        new RawRecord("", "x", Map.of(), RawRecord.NO_WATERMARK));
  }

  @Test
  void plainMetadataIsWrittenSortedByKeySoEqualRecordsEncodeEqually() throws Exception {
    Map<String, String> ab = new LinkedHashMap<>();
    ab.put("a", "1");
    ab.put("b", "2");
    Map<String, String> ba = new LinkedHashMap<>();
    ba.put("b", "2");
    ba.put("a", "1");
    // RawRecord copies its map (Map.copyOf: order unspecified), so encode the maps directly
    assertThat(mapBytes(ab), equalTo(mapBytes(ba)));
  }

  @Test
  void recordsEncodedByEarlierBuildsStillDecode() throws Exception {
    // the format before KafkaMetadata: payload, origin, pair count and pairs, watermark
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    Fields.writeString(out, TICK);
    Fields.writeString(out, "crypto-prices/0@5");
    VarInt.encode(2, out);
    Fields.writeString(out, "kafka.offset");
    Fields.writeString(out, "5");
    Fields.writeString(out, "kafka.topic");
    Fields.writeString(out, "crypto-prices");
    out.writeLong(99L);
    RawRecord decoded = CoderUtils.decodeFromByteArray(RawRecordCoder.of(), bytes.toByteArray());
    assertThat(decoded, equalTo(new RawRecord(TICK, "crypto-prices/0@5",
        Map.of("kafka.offset", "5", "kafka.topic", "crypto-prices"), 99L)));
  }

  @Test
  void kafkaRecordsEncodeAsTheFieldsWrittenOneAfterAnother() throws Exception {
    // the format, written field by field to a plain stream: what records in flight and in
    // checkpoints were written as, whatever buffering the coder does
    KafkaMetadata metadata = kafka("BTCUSDT".getBytes(UTF_8), new String[] {"source", "empty"},
        new byte[][] {"binance".getBytes(UTF_8), null});
    String payload = TICK + "é".repeat(200); // more bytes than the coder's first guess
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    DataOutputStream out = new DataOutputStream(bytes);
    Fields.writeString(out, payload);
    Fields.writeString(out, metadata.origin());
    VarInt.encode(RawRecordCoder.KAFKA, out);
    metadata.encode(out);
    out.writeLong(-5L);
    RawRecord record = new RawRecord(payload, metadata.origin(), metadata, -5L);
    assertThat(CoderUtils.encodeToByteArray(RawRecordCoder.of(), record),
        equalTo(bytes.toByteArray()));
  }

  private static byte[] mapBytes(Map<String, String> map) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    Fields.writeMap(new DataOutputStream(bytes), map);
    return bytes.toByteArray();
  }
}
