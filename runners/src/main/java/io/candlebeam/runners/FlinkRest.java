package io.candlebeam.runners;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.GlobalConfiguration;

/**
 * Where a Flink job's web UI and REST API are. An embedded cluster (no {@code --flinkMaster})
 * gets its REST endpoint, and with it the web UI of {@code flink-runtime-web}, on 127.0.0.1 at the
 * first free port of 8081-8180, set in a Flink configuration folder that {@code --flinkConfDir}
 * then names (the user's own configuration, from {@code --flinkConfDir} or {@code FLINK_CONF_DIR},
 * copied into it: a port or range it sets is kept). Flink binds the port itself, so two jobs
 * starting at once cannot take the same one; the job's cluster is then the one in the range whose
 * API lists the job by its name. Uploading jars through the UI is off unless that configuration
 * turns it on; the API's metrics are at most 1 s old (Flink's default: 10 s). A cluster's ({@code
 * --flinkMaster=host[:port]}) is the cluster's.
 */
final class FlinkRest {
  static final int FIRST_PORT = 8081;
  static final String PORTS = FIRST_PORT + "-" + (FIRST_PORT + 99);
  private static final List<String> PORT_KEYS = List.of("rest.bind-port", "rest.port");
  private static final Pattern RANGE = Pattern.compile("(\\d+)(?:-(\\d+))?");
  private static final ObjectMapper JSON = new ObjectMapper();

  private FlinkRest() {}

  /**
   * For an embedded cluster: writes the configuration folder described above and points {@code
   * flink} at it.
   */
  static void embed(FlinkPipelineOptions flink) {
    String userDir = flink.getFlinkConfDir() != null ? flink.getFlinkConfDir()
        : System.getenv("FLINK_CONF_DIR");
    Configuration conf = userDir != null ? GlobalConfiguration.loadConfiguration(userDir)
        : new Configuration();
    Map<String, String> settings = new TreeMap<>(conf.toMap());
    settings.putIfAbsent("rest.bind-address", "127.0.0.1");
    settings.putIfAbsent("rest.address", settings.get("rest.bind-address"));
    settings.putIfAbsent("web.submit.enable", "false");
    // how old the REST API's metrics may be (Flink's default 10 s): the launcher's counts
    settings.putIfAbsent("metrics.fetcher.update-interval", "1000");
    if (PORT_KEYS.stream().noneMatch(settings::containsKey)) {
      settings.put("rest.bind-port", PORTS);
    }
    try {
      Path dir = Files.createTempDirectory("candlebeam-flink-conf");
      Path file = dir.resolve(GlobalConfiguration.LEGACY_FLINK_CONF_FILENAME);
      List<String> lines = new ArrayList<>();
      settings.forEach((k, v) -> lines.add(k + ": " + v));
      Files.write(file, lines);
      file.toFile().deleteOnExit();
      dir.toFile().deleteOnExit();
      flink.setFlinkConfDir(dir.toString());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write Flink's configuration for its web UI", e);
    }
  }

  /**
   * The REST address of the running job {@code jobName}'s cluster: {@code --flinkMaster}'s, or
   * the embedded one's that {@link #embed} configured; empty when there is none ({@code
   * --flinkUi=false}) or it cannot be found.
   */
  static Optional<URI> of(FlinkPipelineOptions flink, boolean ui, String jobName) {
    if (!embedded(flink.getFlinkMaster())) {
      String hostPort = flink.getFlinkMaster().replaceFirst("^https?://", "")
          .replaceFirst("/.*$", "");
      return Optional.of(URI.create("http://" + (hostPort.contains(":") ? hostPort
          : hostPort + ":8081") + "/"));
    }
    if (!ui || flink.getFlinkConfDir() == null) {
      return Optional.empty();
    }
    Map<String, String> settings =
        GlobalConfiguration.loadConfiguration(flink.getFlinkConfDir()).toMap();
    String host = settings.getOrDefault("rest.bind-address", "127.0.0.1");
    host = host.equals("0.0.0.0") ? "127.0.0.1" : host;
    Matcher ports = RANGE.matcher(PORT_KEYS.stream().filter(settings::containsKey)
        .map(settings::get).map(String::trim).findFirst().orElse(""));
    if (!ports.matches()) {
      return Optional.empty();
    }
    int first = Integer.parseInt(ports.group(1));
    int last = ports.group(2) == null ? first : Integer.parseInt(ports.group(2));
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    for (int port = first; port <= last; port++) {
      URI rest = URI.create("http://" + host + ":" + port + "/");
      if (runs(http, rest, jobName)) {
        return Optional.of(rest);
      }
    }
    return Optional.empty();
  }

  /** Whether {@code --flinkMaster} means a cluster in this JVM. */
  static boolean embedded(String flinkMaster) {
    return flinkMaster == null || flinkMaster.equals("[auto]") || flinkMaster.equals("[local]");
  }

  /** Whether the Flink REST API at {@code rest} lists a job named {@code jobName}. */
  private static boolean runs(HttpClient http, URI rest, String jobName) {
    try {
      for (JsonNode job : get(http, rest.resolve("jobs/overview")).path("jobs")) {
        if (job.path("name").asText().equals(jobName)) {
          return true;
        }
      }
    } catch (IOException e) {
      // nothing there, or not Flink
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return false;
  }

  /** The JSON answer to GET {@code uri}; an IOException for anything but a 200. */
  static JsonNode get(HttpClient http, URI uri) throws IOException, InterruptedException {
    HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri)
        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    if (r.statusCode() != 200) {
      throw new IOException(uri + ": HTTP " + r.statusCode());
    }
    return JSON.readTree(r.body());
  }
}
