package io.candlebeam.runners;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.ZipFile;
import org.apache.beam.runners.direct.DirectOptions;
import org.apache.beam.runners.flink.FlinkPipelineOptions;
import org.apache.beam.runners.spark.SparkPipelineOptions;
import org.apache.beam.sdk.extensions.gcp.options.GcpOptions;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsRegistrar;
import org.apache.beam.sdk.options.StreamingOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command, for real: {@code java -jar runners/target/candlebeam.jar} with no
 * flags but the output folder, in a fresh JVM with no extra JVM options (the manifest carries
 * Spark's Java 17 opens). It must replay the bundled data on the SparkRunner and print the table.
 */
class ExecutableJarIT {

  @Test
  void javaDashJarWithNoFlagsPrintsTheCandleTable(@TempDir Path dir) throws Exception {
    Path jar = Path.of("target", "candlebeam.jar").toAbsolutePath();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(List.of(java, "-jar", jar.toString()))
        .directory(dir.toFile())
        .redirectError(dir.resolve("stderr.txt").toFile())
        .redirectOutput(dir.resolve("stdout.txt").toFile())
        .start();
    boolean done = p.waitFor(5, TimeUnit.MINUTES);
    String out = Files.readString(dir.resolve("stdout.txt"), StandardCharsets.UTF_8);
    String err = Files.readString(dir.resolve("stderr.txt"), StandardCharsets.UTF_8);
    assertThat("finished in time; stderr:\n" + err, done, is(true));
    assertThat("exit code; stderr:\n" + err, p.exitValue(), is(0));
    assertThat(out, containsString("date       symbol"));
    assertThat(out, containsString("2024-03-01 BTCUSDT"));
    assertThat(out, containsString("records read 3031 = too late 0 + parsed 3000 + dead letters 31"));
    assertThat(new File(dir.toFile(), "out/parquet/symbol=BTCUSDT").list().length, is(4));
  }

  @Test
  void badFlagExitsWithCode2AndOneLine(@TempDir Path dir) throws Exception {
    Path jar = Path.of("target", "candlebeam.jar").toAbsolutePath();
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(List.of(java, "-jar", jar.toString(), "--windowSize=soon"))
        .directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(2, TimeUnit.MINUTES), is(true));
    assertThat(p.exitValue(), is(2));
    assertThat(out, containsString("candlebeam: --windowSize=soon is not a duration"));
  }

  /**
   * The jar's options registry (runners/src/main/shade/pipeline-options-registrars): Beam validates
   * every registered interface at start, so the jar registers those of its three runners and the
   * SDK's, not Google Cloud's.
   */
  @Test
  void theJarRegistersTheOptionsOfItsRunnersAndNotGoogleClouds() throws Exception {
    String name = "META-INF/services/" + PipelineOptionsRegistrar.class.getName();
    List<Class<? extends PipelineOptions>> registered = new ArrayList<>();
    try (ZipFile jar = new ZipFile(Path.of("target", "candlebeam.jar").toFile())) {
      String text = new String(jar.getInputStream(jar.getEntry(name)).readAllBytes(),
          StandardCharsets.UTF_8);
      for (String line : text.split("\n")) {
        String registrar = line.replaceAll("#.*", "").trim();
        if (!registrar.isEmpty()) {
          PipelineOptionsRegistrar r = (PipelineOptionsRegistrar) Class.forName(registrar)
              .getDeclaredConstructor().newInstance();
          r.getPipelineOptions().forEach(registered::add);
        }
      }
    }
    assertThat(registered, hasItems(PipelineOptions.class, StreamingOptions.class,
        SparkPipelineOptions.class, FlinkPipelineOptions.class, DirectOptions.class));
    assertThat(registered, not(hasItems(GcpOptions.class)));
  }
}
