package io.candlebeam.runners;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real Spark standalone cluster on loopback: a master and a worker, each its own JVM, run from
 * the Spark classes inside candlebeam.jar. There is no Spark distribution here, so the worker gets
 * a minimal SPARK_HOME whose jars/ holds candlebeam.jar: the executors it launches run from it.
 */
final class SparkStandalone implements AutoCloseable {
  /** Spark's own JVM options for Java 17, for the worker and the executors it launches. */
  static final List<String> JAVA17_OPENS = List.of("java.lang", "java.lang.invoke",
      "java.lang.reflect", "java.io", "java.net", "java.nio", "java.util", "java.util.concurrent",
      "java.util.concurrent.atomic", "jdk.internal.ref", "sun.nio.ch", "sun.nio.cs",
      "sun.security.action", "sun.util.calendar").stream()
      .map(p -> "--add-opens=java.base/" + p + "=ALL-UNNAMED").toList();

  private final List<Process> processes = new ArrayList<>();
  private final int port;

  private SparkStandalone(int port) {
    this.port = port;
  }

  static SparkStandalone start(Path dir, int workerCores) throws Exception {
    Path jar = Path.of("target", "candlebeam.jar").toAbsolutePath();
    Path home = Files.createDirectories(dir.resolve("spark-home/jars"));
    Files.createSymbolicLink(home.resolve("candlebeam.jar"), jar);
    SparkStandalone cluster = new SparkStandalone(freePort());
    cluster.spawn(dir, "master", List.of("org.apache.spark.deploy.master.Master", "--host",
        "127.0.0.1", "--port", Integer.toString(cluster.port), "--webui-port", "0"));
    cluster.awaitPort();
    cluster.spawn(dir, "worker", List.of("org.apache.spark.deploy.worker.Worker", cluster.url(),
        "--host", "127.0.0.1", "--cores", Integer.toString(workerCores), "--memory", "2g",
        "--webui-port", "0", "--work-dir", dir.resolve("work").toString()));
    Thread.sleep(5_000); // the worker registers with the master
    return cluster;
  }

  String url() {
    return "spark://127.0.0.1:" + port;
  }

  /** JVM options for a driver submitting to this cluster. */
  List<String> driverOptions() {
    return List.of("-Dspark.driver.host=127.0.0.1",
        "-Dspark.executor.extraJavaOptions=" + String.join(" ", JAVA17_OPENS));
  }

  private void spawn(Path dir, String name, List<String> mainAndArgs) throws IOException {
    List<String> command = new ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString()));
    command.addAll(JAVA17_OPENS);
    command.addAll(List.of("-cp", Path.of("target", "candlebeam.jar").toAbsolutePath().toString()));
    command.addAll(mainAndArgs);
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true)
        .redirectOutput(dir.resolve(name + ".log").toFile());
    Map<String, String> env = pb.environment();
    env.put("SPARK_HOME", dir.resolve("spark-home").toString());
    env.put("SPARK_SCALA_VERSION", "2.12");
    env.put("SPARK_LOCAL_IP", "127.0.0.1");
    processes.add(pb.start());
  }

  private void awaitPort() throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      try (Socket s = new Socket("127.0.0.1", port)) {
        return;
      } catch (IOException notYet) {
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("the Spark master did not start");
        }
        Thread.sleep(300);
      }
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  @Override
  public void close() throws InterruptedException {
    for (Process p : processes) {
      p.destroy();
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly();
      }
    }
  }
}
