package io.candlebeam.pipeline.serve;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.candlebeam.pipeline.Launcher;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code serve}'s and the job's {@code --serve} refusals: one line naming the fix, exit code 2. */
class ServeCommandTest {
  private static String refused(String... args) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = ServeCommand.run(args, new PrintStream(new ByteArrayOutputStream()),
        new PrintStream(err, true));
    assertThat(code, is(2));
    return err.toString(StandardCharsets.UTF_8);
  }

  @Test
  void aMissingFolderATakenPortAndAnUnknownHostAreRefused(@TempDir Path run) throws Exception {
    assertThat(refused("--from=" + run.resolve("nothing")),
        containsString("is not a folder: give a run's output folder"));
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      assertThat(refused("--from=" + run, "--port=" + taken.getLocalPort()),
          containsString("cannot listen on 127.0.0.1:" + taken.getLocalPort()));
    }
    assertThat(refused("--from=" + run, "--host=no-such-host.invalid"),
        containsString("--host=no-such-host.invalid is not an address of this machine"));
    assertThat(refused("--from=" + run, "--port=70000"), containsString("--port=70000 is not a port"));
  }

  @Test
  void theJobServesOnlyStreamingRunsThatWriteWhatTheServerReads() {
    IllegalArgumentException batch = assertThrows(IllegalArgumentException.class,
        () -> Launcher.plain().parse("--serve"));
    assertThat(batch.getMessage(), containsString("--serve is for streaming runs"));
    IllegalArgumentException console = assertThrows(IllegalArgumentException.class,
        () -> Launcher.plain().parse("--source=kafka", "--serve", "--sinks=console"));
    assertThat(console.getMessage(), containsString("add json, parquet or jdbc to --sinks"));
    IllegalArgumentException port = assertThrows(IllegalArgumentException.class,
        () -> Launcher.plain().parse("--source=kafka", "--servePort=9000"));
    assertThat(port.getMessage(), containsString("--servePort has no effect without --serve"));
    assertThat(Launcher.plain().parse("--source=kafka", "--serve", "--servePort=0").config()
        .serve().port(), is(0));
  }
}
