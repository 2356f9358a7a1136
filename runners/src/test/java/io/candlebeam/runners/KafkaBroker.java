package io.candlebeam.runners;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * A real Apache Kafka broker (KRaft, broker and controller in one process) on loopback, run from
 * the Maven Central jars that module kafka-broker resolves, in its own JVM so a test can stop and
 * restart it. Its data lives under the given folder, so a restart keeps the topics.
 */
final class KafkaBroker implements AutoCloseable {
  private final Path dir;
  private final int port;
  private final int controllerPort;
  private Process process;

  private KafkaBroker(Path dir, int port, int controllerPort) {
    this.dir = dir;
    this.port = port;
    this.controllerPort = controllerPort;
  }

  /**
   * A broker on free ports. A port found free can be taken by another process before the broker
   * binds it (a busy CI machine): then the start is tried again on other ports, up to 3 times.
   */
  static KafkaBroker start(Path dir) throws Exception {
    for (int attempt = 1; ; attempt++) {
      Path attemptDir = java.nio.file.Files.createDirectories(dir.resolve("attempt-" + attempt));
      KafkaBroker broker = new KafkaBroker(attemptDir, freePort(), freePort());
      broker.writeConfig();
      broker.java("kafka.tools.StorageTool", "format", "-t", clusterId(), "-c",
          attemptDir.resolve("server.properties").toString()).waitFor(120, TimeUnit.SECONDS);
      try {
        broker.startProcess();
        return broker;
      } catch (IllegalStateException e) {
        broker.close();
        if (attempt == 3) {
          throw e;
        }
      }
    }
  }

  String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  /** Kills the broker process (SIGKILL) and waits until it is gone. */
  void kill() throws InterruptedException {
    process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
  }

  /** Starts the broker again on the same ports and data. */
  void restart() throws Exception {
    startProcess();
  }

  void createTopic(String topic, int partitions) throws Exception {
    try (Admin admin = admin()) {
      admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all()
          .get(30, TimeUnit.SECONDS);
    }
  }

  Admin admin() {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers(),
        AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000));
  }

  @Override
  public void close() throws InterruptedException {
    if (process != null) {
      process.destroy();
      if (!process.waitFor(20, TimeUnit.SECONDS)) {
        kill();
      }
    }
  }

  private void startProcess() throws Exception {
    process = java("kafka.Kafka", dir.resolve("server.properties").toString());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      try (Admin admin = admin()) {
        admin.describeCluster().nodes().get(5, TimeUnit.SECONDS);
        return;
      } catch (Exception notYet) {
        if (!process.isAlive() || System.nanoTime() > deadline) {
          throw new IllegalStateException("Kafka broker did not start; see " + dir.resolve("broker.log"));
        }
        Thread.sleep(500);
      }
    }
  }

  private Process java(String mainClass, String... args) throws IOException {
    Path classpath = Path.of("..", "kafka-broker", "target", "broker.classpath");
    if (!Files.exists(classpath)) {
      throw new IllegalStateException(classpath.toAbsolutePath() + " is missing: build module kafka-broker first");
    }
    List<String> command = new java.util.ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
        "-cp", Files.readString(classpath).trim(), mainClass));
    command.addAll(List.of(args));
    return new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("broker.log").toFile())).start();
  }

  private void writeConfig() throws IOException {
    Files.createDirectories(dir.resolve("data"));
    Files.writeString(dir.resolve("server.properties"), String.join("\n",
        "process.roles=broker,controller",
        "node.id=1",
        "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
        "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
        "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
        "controller.listener.names=CONTROLLER",
        "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
        "log.dirs=" + dir.resolve("data"),
        "num.partitions=1",
        "offsets.topic.replication.factor=1",
        "transaction.state.log.replication.factor=1",
        "transaction.state.log.min.isr=1",
        "group.initial.rebalance.delay.ms=0",
        ""));
  }

  private static String clusterId() {
    byte[] uuid = new byte[16];
    new SecureRandom().nextBytes(uuid);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(uuid);
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }
}
