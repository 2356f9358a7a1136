package io.candlebeam.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsInAnyOrder;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The words and devices jobs, from the command line, over bounded files (availableNow). */
class ToolkitJobsTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static int launch(String... args) {
    return Launcher.plain().launch(args, new PrintStream(new ByteArrayOutputStream()), System.err);
  }

  private static List<JsonNode> rows(Path dir, String suffix) throws Exception {
    List<JsonNode> rows = new ArrayList<>();
    for (Path f : ExpectedCandles.files(dir, suffix)) {
      for (String line : Files.readAllLines(f)) {
        rows.add(MAPPER.readTree(line));
      }
    }
    return rows;
  }

  @Test
  void wordsJobCountsPerWordAndFifteenMinuteWindow(@TempDir Path dir) throws Exception {
    Path input = dir.resolve("words.jsonl");
    Files.write(input, List.of(
        "{\"timestamp\": \"2024-04-06 10:05:00\", \"word\": \"Streaming\"}",
        "{\"timestamp\": \"2024-04-06 10:14:00\", \"word\": \"Streaming\"}",
        "{\"timestamp\": \"2024-04-06 10:20:00\", \"word\": \"Spark\"}",
        "{\"timestamp\": \"2024-04-06 10:40:00\", \"word\": \"Hello\"}",
        "{\"timestamp\": \"2024-04-06 10:16:00\", \"word\": \"Hadoop\"}",
        "{\"timestamp\": \"10:48\", \"word\": \"Streaming\"}",
        "{\"timestamp\": \"2024-04-06 10:48:00\", \"word\": \"Streaming\"}"));
    assertThat(launch("--runner=DirectRunner", "--job=words", "--input=" + input,
        "--outputDir=" + dir.resolve("out"), "--sinks=json", "--windowSize=15m"), is(0));
    List<String> counts = new ArrayList<>();
    for (JsonNode r : rows(dir.resolve("out/json"), ".jsonl")) {
      counts.add(r.get("word").asText() + " " + r.get("window_start").asText().substring(11, 16)
          + "-" + r.get("window_end").asText().substring(11, 16) + " " + r.get("count").asLong());
    }
    assertThat(counts, containsInAnyOrder("Streaming 10:00-10:15 2", "Spark 10:15-10:30 1",
        "Hadoop 10:15-10:30 1", "Hello 10:30-10:45 1", "Streaming 10:45-11:00 1"));
    // The line with a bad timestamp is a dead letter, not a count.
    assertThat(rows(dir.resolve("out/deadletter"), ".jsonl").size(), is(1));
  }

  @Test
  void devicesJobWritesOneRowPerDeviceFromMultiLineDocuments(@TempDir Path dir) throws Exception {
    Path in = Files.createDirectories(dir.resolve("in"));
    Files.writeString(in.resolve("a.json"), """
        [{"eventId": "e1", "eventOffset": 10001, "eventPublisher": "device", "customerId": "CI00103",
          "data": {"devices": [
            {"deviceId": "D001", "temperature": 15, "measure": "C", "status": "ERROR"},
            {"deviceId": "D002", "temperature": 16, "measure": "C", "status": "SUCCESS"}]},
          "eventTime": "2023-01-05 11:13:53.643364"},
         {"eventId": "e2", "eventOffset": 10002, "eventPublisher": "device", "customerId": "CI00104",
          "data": {"devices": [{"deviceId": "D003", "temperature": 20, "measure": "C", "status": "SUCCESS"}]},
          "eventTime": "2023-01-05 11:14:00.000000"}]
        """);
    Files.writeString(in.resolve("b.json"), "{\"eventId\": \"e3\", \"data\": {}}");
    assertThat(launch("--runner=DirectRunner", "--job=devices", "--multiLine=true",
        "--input=" + in + "/*.json", "--outputDir=" + dir.resolve("out"), "--sinks=json,csv"), is(0));
    List<String> devices = new ArrayList<>();
    for (JsonNode r : rows(dir.resolve("out/json"), ".jsonl")) {
      devices.add(r.get("eventId").asText() + " " + r.get("customerId").asText() + " "
          + r.get("deviceId").asText() + " " + r.get("temperature").asDouble() + " "
          + r.get("status").asText() + " " + r.get("eventTime").asText());
    }
    assertThat(devices, containsInAnyOrder(
        "e1 CI00103 D001 15.0 ERROR 2023-01-05 11:13:53.643364",
        "e1 CI00103 D002 16.0 SUCCESS 2023-01-05 11:13:53.643364",
        "e2 CI00104 D003 20.0 SUCCESS 2023-01-05 11:14:00.000000"));
    List<String> csv = Files.readAllLines(dir.resolve("out/csv/e2.csv"));
    assertThat(csv, is(List.of("eventId,eventOffset,eventPublisher,customerId,eventTime,deviceId,"
        + "measure,status,temperature",
        "e2,10002,device,CI00104,2023-01-05 11:14:00.000000,D003,C,SUCCESS,20.0")));
    List<String> e1 = Files.readAllLines(dir.resolve("out/csv/e1.csv"));
    assertThat("one header, then one row per device", e1.size(), is(3));
    assertThat(e1.get(0).startsWith("eventId,"), is(true));
    // b.json has no devices array: a dead letter with the reason.
    List<JsonNode> dead = rows(dir.resolve("out/deadletter"), ".jsonl");
    assertThat(dead.size(), is(1));
    assertThat(dead.get(0).get("reason").asText(), is("field 'data.devices' must be an array"));
  }
}
