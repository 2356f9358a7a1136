package io.candlebeam.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import io.candlebeam.pipeline.options.CandleOptions;
import io.candlebeam.pipeline.options.OptionsHelp;
import io.candlebeam.pipeline.options.ProducerOptions;
import io.candlebeam.pipeline.options.ServeOptions;
import io.candlebeam.pipeline.options.ShowOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Each command's {@code --help} lists its own flags, each with the default the command really
 * uses: every listed flag parses, its printed default is the value the options hold when the flag
 * is not given, and Beam's internal flags are not listed.
 */
class OptionsHelpTest {
  private static final Pattern FLAG = Pattern.compile("(?m)^  --(\\w+)=<[^>]+>\\n(?:    Default: (.*)\\n)?");

  @ParameterizedTest
  @ValueSource(strings = {"run", "produce", "show", "chart", "serve"})
  void everyListedFlagParsesAndItsDefaultIsTheRealOne(String command) throws Exception {
    String help = help(command);
    Class<? extends PipelineOptions> options = switch (command) {
      case "run" -> CandleOptions.class;
      case "produce" -> ProducerOptions.class;
      case "serve" -> ServeOptions.class;
      default -> ShowOptions.class;
    };
    Map<String, String> listed = listed(help);
    assertThat(listed.size(), greaterThan(3));
    PipelineOptionsFactory.register(options);
    PipelineOptions unset = PipelineOptionsFactory.fromArgs().as(options);
    for (Map.Entry<String, String> f : listed.entrySet()) {
      if (f.getKey().equals("runner")) {
        continue; // the launcher's default, not Beam's (RunnerAdaptersTest)
      }
      String property = command.equals("serve")
          ? io.candlebeam.pipeline.serve.ServeCommand.ALIASES.getOrDefault(f.getKey(), f.getKey())
          : f.getKey();
      Object actual = getter(options, property).invoke(unset);
      if (f.getValue() != null) {
        assertThat("--" + f.getKey() + " default", String.valueOf(actual), is(f.getValue()));
        PipelineOptionsFactory.fromArgs("--" + property + "=" + f.getValue()).as(options);
      }
    }
    for (String internal : new String[] {"jobName", "optionsId", "userAgent", "stableUniqueNames"}) {
      assertThat(help, not(containsString("--" + internal + "=")));
    }
  }

  @Test
  void theJobsHelpShowsTheDefaultsTheReadmeTableShows() {
    Map<String, String> run = listed(help("run"));
    assertThat(run.get("windowSize"), is("1d"));
    assertThat(run.get("allowedLateness"), is("1h"));
    assertThat(run.get("outputMode"), is("append"));
    assertThat(run.get("triggerInterval"), is("5s"));
    assertThat(run.get("sinks"), is("console,parquet,json"));
    assertThat(run.get("topics"), is("crypto-prices"));
    assertThat(run.get("watermarkDelay"), is("1h"));
    assertThat(run.containsKey("streaming"), is(true));
  }

  private static Map<String, String> listed(String help) {
    Map<String, String> out = new LinkedHashMap<>();
    Matcher m = FLAG.matcher(help);
    while (m.find()) {
      out.put(m.group(1), m.group(2));
    }
    return out;
  }

  private static Method getter(Class<?> options, String name) throws NoSuchMethodException {
    String cap = Character.toUpperCase(name.charAt(0)) + name.substring(1);
    try {
      return options.getMethod("get" + cap);
    } catch (NoSuchMethodException e) {
      return options.getMethod("is" + cap);
    }
  }

  private static String help(String command) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    String[] args = {"--help"};
    int code = switch (command) {
      case "run" -> Launcher.plain().launch(args, out, out);
      case "produce" -> TickProducer.run(args, out, out);
      case "show" -> ServingCommands.show(args, out, out);
      case "serve" -> io.candlebeam.pipeline.serve.ServeCommand.run(args, out, out);
      default -> ServingCommands.chart(args, out, out);
    };
    assertThat(code, is(0));
    return bytes.toString(StandardCharsets.UTF_8);
  }
}
