package io.candlebeam.pipeline;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.candlebeam.transforms.devices.DeviceReading;
import io.candlebeam.transforms.io.FileNames;
import io.candlebeam.transforms.io.TextLinesSink;
import io.candlebeam.transforms.io.WriteCandles;
import io.candlebeam.transforms.io.WriteDeadLetters;
import io.candlebeam.transforms.io.WriteIdempotentFiles;
import io.candlebeam.transforms.model.DeadLetter;
import io.candlebeam.transforms.model.RawRecord;
import io.candlebeam.transforms.parse.ParseRecords;
import io.candlebeam.transforms.words.CountWords;
import io.candlebeam.transforms.words.WordCount;
import io.candlebeam.transforms.words.WordEvent;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.KV;
import org.apache.beam.sdk.values.TypeDescriptors;
import io.candlebeam.transforms.jdbc.UpsertJsonRows;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.coders.ListCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.Flatten;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.SerializableFunction;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PBegin;
import org.apache.beam.sdk.values.PCollection;

/**
 * The streaming toolkit's other jobs, on the same sources, parser, windowing, combine and sinks as
 * the candles ({@code --job=words} and {@code --job=devices}).
 *
 * <ul>
 *   <li>words: {@code {"timestamp": "2024-04-06 10:05:00", "word": "Streaming"}} → count per word
 *       and window (with the window flags; no window flags: tumbling 1 d; {@code --windowSize=0}:
 *       no window), rows {@code word, count, window_start, window_end, pane_timing, pane_index};
 *   <li>devices: event documents (one per line, or per file with {@code --multiLine}) → one row
 *       per device: {@code eventId, eventOffset, eventPublisher, customerId, eventTime, deviceId,
 *       measure, status, temperature}.
 * </ul>
 *
 * Sinks: {@code json}, {@code csv} and {@code console}; files named by what identifies their rows
 * (word, window and pane; a document's eventId), so a replay rewrites them.
 */
final class ToolkitJobs {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private ToolkitJobs() {}

  static void words(Pipeline p, JobConfig config, PTransform<PBegin, PCollection<RawRecord>> source) {
    WithFailures.Result<PCollection<WordEvent>, DeadLetter> parsed = p.apply("Read", source)
        .apply("ParseWords", ParseRecords.with(WordEvent.parser(), SerializableCoder.of(WordEvent.class),
            "parse-word").withEventTime(w -> new org.joda.time.Instant(w.eventTime())));
    PCollection<LinkedHashMap<String, Object>> rows = parsed.output()
        .apply("CountWords", new CountWords(config.windowing()))
        .apply("ToRows", ParDo.of(new ToRow<>(ToolkitJobs::wordRow)))
        .setCoder(SerializableCoder.of(rowType()));
    write(rows, config, r -> WriteCandles.window((Long) r.get("_start"), (Long) r.get("_end")) + "/"
        + FileNames.safe((String) r.get("word")) + String.format("_pane-%03d", (Long) r.get("pane_index")));
    parsed.failures().apply("WriteDeadLetters", WriteDeadLetters.json(dir(config) + "deadletter"));
  }

  static void devices(Pipeline p, JobConfig config, PTransform<PBegin, PCollection<RawRecord>> source) {
    WithFailures.Result<PCollection<List<DeviceReading>>, DeadLetter> parsed = p.apply("Read", source)
        .apply("ParseDevices", ParseRecords.with(DeviceReading.parser(),
            ListCoder.of(SerializableCoder.of(DeviceReading.class)), "parse-devices"));
    PCollection<LinkedHashMap<String, Object>> rows = parsed.output()
        .apply("OneRowPerDevice", Flatten.iterables())
        .apply("ToRows", ParDo.of(new ToRow<>(ToolkitJobs::deviceRow)))
        .setCoder(SerializableCoder.of(rowType()));
    // The rows of one event document share a file named after its eventId.
    write(rows, config, r -> FileNames.safe((String) r.get("eventId")));
    parsed.failures().apply("WriteDeadLetters", WriteDeadLetters.json(dir(config) + "deadletter"));
  }

  /**
   * Kafka records with their key and headers as columns: {@code key, topic, partition, offset,
   * timestamp}, one {@code header.<name>} per header (UTF-8), and {@code value} (the payload, kept
   * as JSON when it is JSON). Any source works; only Kafka fills the Kafka columns.
   */
  static void records(Pipeline p, JobConfig config, PTransform<PBegin, PCollection<RawRecord>> source) {
    PCollection<LinkedHashMap<String, Object>> rows = p.apply("Read", source)
        .apply("ToRows", ParDo.of(new ToRow<>(ToolkitJobs::recordRow)))
        .setCoder(SerializableCoder.of(rowType()));
    write(rows, config, r -> FileNames.safe((String) r.get("_origin")));
  }

  static LinkedHashMap<String, Object> recordRow(RawRecord r) {
    LinkedHashMap<String, Object> row = new LinkedHashMap<>();
    Map<String, String> meta = r.metadata();
    row.put("key", meta.get("kafka.key"));
    row.put("topic", meta.get("kafka.topic"));
    row.put("partition", meta.containsKey("kafka.partition") ? Integer.valueOf(meta.get("kafka.partition")) : null);
    row.put("offset", meta.containsKey("kafka.offset") ? Long.valueOf(meta.get("kafka.offset")) : null);
    row.put("timestamp", meta.containsKey("kafka.timestamp")
        ? Instant.ofEpochMilli(Long.parseLong(meta.get("kafka.timestamp"))).toString() : null);
    new java.util.TreeMap<>(meta).forEach((k, v) -> {
      if (k.startsWith("header.")) {
        row.put(k, v);
      }
    });
    Object value;
    try {
      value = MAPPER.readTree(r.payload());
    } catch (JsonProcessingException e) {
      value = r.payload(); // not JSON: kept as text
    }
    row.put("value", value);
    row.put("_origin", r.origin());
    return row;
  }

  private static void write(PCollection<LinkedHashMap<String, Object>> rows, JobConfig config,
      SerializableFunction<LinkedHashMap<String, Object>, String> fileKey) {
    String dir = dir(config);
    for (String sink : config.sinks()) {
      switch (sink) {
        case "json" -> rows.apply("Write-json", WriteIdempotentFiles.to(dir + "json", fileKey,
            ".jsonl", new TextLinesSink<>(ToolkitJobs::json), "json"));
        case "csv" -> rows.apply("Write-csv", WriteIdempotentFiles.to(dir + "csv", fileKey, ".csv",
            new TextLinesSink<>(ToolkitJobs::csv, r -> String.join(",", visible(r).keySet())), "csv"));
        case "kafka" -> rows
            .apply("ToKafkaRecords", MapElements.into(TypeDescriptors.kvs(TypeDescriptors.strings(),
                TypeDescriptors.strings())).via(r -> KV.of(rowKey(r), json(r))))
            .apply("Write-kafka", config.kafka().sink());
        case "jdbc" -> rows
            .apply("ToJdbcRows", MapElements.into(TypeDescriptors.kvs(TypeDescriptors.strings(),
                TypeDescriptors.strings())).via(r -> KV.of(fileKey.apply(r), json(r))))
            .apply("Write-jdbc", new UpsertJsonRows(config.jdbc(), config.jdbcRetryMinutes()));
        case "console" -> rows.apply("Print", ParDo.of(new DoFn<LinkedHashMap<String, Object>, Void>() {
          @ProcessElement
          public void process(@Element LinkedHashMap<String, Object> row) {
            System.out.println(json(row));
          }
        }));
        default -> throw new IllegalArgumentException("--sinks: '" + sink
            + "' is not a sink of this job: use json, csv, console, kafka or jdbc");
      }
    }
  }

  /** A row's Kafka key: its own key if it has one, else its first column's value. */
  private static String rowKey(LinkedHashMap<String, Object> row) {
    Object key = row.containsKey("key") ? row.get("key") : row.values().iterator().next();
    return key == null ? null : key.toString();
  }

  private static String dir(JobConfig config) {
    return config.outputDir().endsWith("/") ? config.outputDir() : config.outputDir() + "/";
  }

  static LinkedHashMap<String, Object> wordRow(WordCount c) {
    LinkedHashMap<String, Object> row = new LinkedHashMap<>();
    row.put("word", c.word());
    row.put("count", c.count());
    boolean global = c.windowStart() <= org.apache.beam.sdk.transforms.windowing.BoundedWindow
        .TIMESTAMP_MIN_VALUE.getMillis();
    row.put("window_start", global ? null : Instant.ofEpochMilli(c.windowStart()).toString());
    row.put("window_end", global ? null : Instant.ofEpochMilli(c.windowEnd()).toString());
    row.put("pane_timing", c.paneTiming());
    row.put("pane_index", c.paneIndex());
    row.put("_start", c.windowStart());
    row.put("_end", c.windowEnd());
    return row;
  }

  static LinkedHashMap<String, Object> deviceRow(DeviceReading d) {
    LinkedHashMap<String, Object> row = new LinkedHashMap<>();
    row.put("eventId", d.eventId());
    row.put("eventOffset", d.eventOffset());
    row.put("eventPublisher", d.eventPublisher());
    row.put("customerId", d.customerId());
    row.put("eventTime", d.eventTime());
    row.put("deviceId", d.deviceId());
    row.put("measure", d.measure());
    row.put("status", d.status());
    row.put("temperature", d.temperature());
    return row;
  }

  /** A row as JSON; fields starting with '_' are internal (file naming) and left out. */
  static String json(LinkedHashMap<String, Object> row) {
    try {
      return MAPPER.writeValueAsString(visible(row));
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A row as one RFC 4180 CSV line (the sink writes the header once per file). */
  static String csv(LinkedHashMap<String, Object> row) {
    return visible(row).values().stream()
        .map(x -> x == null ? "" : quote(x.toString())).collect(Collectors.joining(","));
  }

  private static String quote(String s) {
    return s.matches("[^,\"\\r\\n]*") ? s : '"' + s.replace("\"", "\"\"") + '"';
  }

  private static LinkedHashMap<String, Object> visible(LinkedHashMap<String, Object> row) {
    LinkedHashMap<String, Object> v = new LinkedHashMap<>();
    row.forEach((k, x) -> {
      if (!k.startsWith("_")) {
        v.put(k, x);
      }
    });
    return v;
  }

  @SuppressWarnings("unchecked")
  private static Class<LinkedHashMap<String, Object>> rowType() {
    return (Class<LinkedHashMap<String, Object>>) (Class<?>) LinkedHashMap.class;
  }

  /** Maps each element to a row. */
  private static final class ToRow<T> extends DoFn<T, LinkedHashMap<String, Object>> {
    private final SerializableFunction<T, LinkedHashMap<String, Object>> fn;

    ToRow(SerializableFunction<T, LinkedHashMap<String, Object>> fn) {
      this.fn = fn;
    }

    @ProcessElement
    public void process(@Element T element, OutputReceiver<LinkedHashMap<String, Object>> out) {
      out.output(fn.apply(element));
    }
  }
}
