package io.candlebeam.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import io.candlebeam.pipeline.options.CandleOptions;
import io.candlebeam.pipeline.options.Durations;
import io.candlebeam.transforms.window.OutputMode;
import io.candlebeam.transforms.window.WindowSpec;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.joda.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The command line's edge, on no runner in particular: typed values, one-line errors with exit code 2. */
class LauncherTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "--windowSize=fortnight       | --windowSize=fortnight is not a duration",
      "--allowedLateness=-1h        | --allowedLateness=-1h is not a duration",
      "--outputMode=sometimes       | unknown output mode 'sometimes': use append, update or complete",
      "--sinks=console,printer      | --sinks: 'printer' is not a sink",
      "--source=carrier-pigeon      | --source=carrier-pigeon is not a source",
      "--input=/nonexistent/*.jsonl | --input=/nonexistent/*.jsonl matches no file",
      "--windowPeriod=2d            | window period PT172800S is longer than window size PT86400S",
      "--sessionGapFor=A=5m         | --sessionGapFor needs --sessionGap",
      "--colour=blue                | colour",
      "--kafkaExactlyOnce           | --kafkaExactlyOnce is for the Kafka sink: add kafka to --sinks=",
  })
  void badFlagsGiveOneLineAndExitCode2(String flag, String message) {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Launcher.plain().launch(new String[] {"--runner=DirectRunner", flag},
        new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true));
    String text = err.toString(StandardCharsets.UTF_8);
    assertThat(code, is(2));
    assertThat(text, containsString(message));
    assertThat("the error, then a pointer to --help", text.lines().count(), is(2L));
  }

  @Test
  void windowFlagsBecomeTypedWindows() {
    JobConfig sliding = Launcher.plain().parse(new String[] {"--runner=DirectRunner",
        "--windowSize=15m", "--windowPeriod=5m", "--outputMode=UPDATE", "--triggerInterval=PT2S"}).config();
    assertThat(sliding.windowing().windows(),
        is(WindowSpec.sliding(Duration.standardMinutes(15), Duration.standardMinutes(5))));
    assertThat(sliding.windowing().mode(), is(OutputMode.UPDATE));
    assertThat(sliding.windowing().triggerInterval(), is(Duration.standardSeconds(2)));
    JobConfig sessions = Launcher.plain().parse(new String[] {"--runner=DirectRunner",
        "--sessionGap=10m", "--sessionGapFor=Spark=20m,BTC=1h"}).config();
    assertThat(sessions.windowing().windows(), is(WindowSpec.sessions(Duration.standardMinutes(10),
        Map.of("Spark", Duration.standardMinutes(20), "BTC", Duration.standardHours(1)))));
  }

  @ParameterizedTest
  @CsvSource({"1d,86400000", "2h,7200000", "15m,900000", "30s,30000", "500ms,500",
      "PT15M,900000", "P1D,86400000", "0s,0"})
  void durationsParseInShortAndIsoForms(String text, long millis) {
    assertThat(Durations.parse("x", text).getMillis(), is(millis));
  }
}
