package io.candlebeam.pipeline.serve;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;

import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The status carries the run's report as the job last wrote it, whole file by whole file. */
class ServingTest {

  /** Writes the report as the job does: a new file moved over the old one. */
  private static void writeReport(Path run, long recordsRead) throws Exception {
    Path tmp = Files.createTempFile(run, ".report.json", ".tmp");
    Files.writeString(tmp, "{\"state\":\"running\",\"records_read\":" + recordsRead + "}");
    Files.move(tmp, run.resolve("report.json"), StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
  }

  private static Object recordsRead(Serving serving) {
    Object report = serving.status().get("report");
    return report == null ? null : ((Map<?, ?>) report).get("records_read");
  }

  @Test
  void eachNewReportIsShownAndNoneBeforeTheFirst(@TempDir Path run) throws Exception {
    try (Serving serving = Serving.start(new FileFeed(run), run.resolve("report.json"),
        new InetSocketAddress("127.0.0.1", 0), Duration.ofHours(1),
        new PrintStream(PrintStream.nullOutputStream()))) {
      assertThat("no report yet", recordsRead(serving), is(nullValue()));
      writeReport(run, 10);
      assertThat(recordsRead(serving), is(10));
      assertThat("asked again, the same", recordsRead(serving), is(10));
      // the next report, written within the same clock tick as the first could be
      writeReport(run, 25);
      assertThat(recordsRead(serving), is(25));
      Files.delete(run.resolve("report.json"));
      assertThat("the report gone", recordsRead(serving), is(nullValue()));
    }
  }
}
