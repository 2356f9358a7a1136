package io.candlebeam.runners;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;

import io.candlebeam.pipeline.ServingCommands;
import io.candlebeam.pipeline.TickProducer;
import io.candlebeam.pipeline.options.CandleOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.junit.jupiter.api.Test;

/**
 * Every {@code java -jar runners/target/candlebeam.jar ...} command shown in the README and in
 * {@code docs/} still parses: each command's {@code --help} works, and every flag a command is shown
 * with is one it has (for the job: a flag of candlebeam's or of a runner's options, as Beam
 * checks; for the others: a flag their {@code --help} lists). So the documents cannot drift from
 * the code.
 */
class ReadmeCommandsTest {
  private static final String JAR = "java -jar runners/target/candlebeam.jar";
  private static final List<String> COMMANDS = List.of("generate", "produce", "show", "chart", "serve");

  /** One command as shown: its name (run when none) and its flags, each {@code --name[=value]}. */
  record Shown(String where, String command, List<String> flags) {}

  @Test
  void everyCommandShownParses() throws IOException {
    List<Shown> shown = new ArrayList<>();
    List<Path> docs = new ArrayList<>(List.of(Path.of("../README.md")));
    try (var s = Files.list(Path.of("../docs"))) {
      s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
    }
    for (Path doc : docs) {
      shown.addAll(commandsIn(doc));
    }
    assertThat("commands found", shown.size(), greaterThan(10));
    List<String> wrong = new ArrayList<>();
    for (Shown c : shown) {
      String problem = check(c);
      if (problem != null) {
        wrong.add(c.where() + ": " + c.command() + " " + c.flags() + ": " + problem);
      }
    }
    assertThat(wrong, is(empty()));
  }

  @Test
  void aMistypedFlagIsCaught() {
    assertThat(check(new Shown("test", "run", List.of("--windowSise=1d"))) != null, is(true));
    assertThat(check(new Shown("test", "produce", List.of("--rat=5"))) != null, is(true));
    assertThat(check(new Shown("test", "run", List.of("--sparkMaster=local[2]"))), is((String) null));
  }

  private static String check(Shown c) {
    if (c.command().equals("run")) {
      List<String> flags = new ArrayList<>(c.flags());
      if (flags.removeIf(f -> f.startsWith("--help"))) { // Beam's --help prints and exits
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (Main.launcher().launch(new String[] {"--help"}, new PrintStream(out, true),
            new PrintStream(out, true)) != 0) {
          return "--help fails";
        }
      }
      try {
        PipelineOptionsFactory.register(CandleOptions.class);
        PipelineOptionsFactory.fromArgs(flags.toArray(String[]::new)).as(CandleOptions.class);
        return null;
      } catch (IllegalArgumentException e) {
        return e.getMessage().lines().findFirst().orElse("");
      }
    }
    String help = help(c.command());
    if (help == null) {
      return "--help fails";
    }
    for (String flag : c.flags()) {
      String name = flag.contains("=") ? flag.substring(0, flag.indexOf('=')) : flag;
      if (!help.contains(name + "=") && !help.contains(name + "\n") && !name.equals("--help")) {
        return name + " is not in its --help";
      }
    }
    return null;
  }

  private static String help(String command) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    PrintStream print = new PrintStream(out, true, StandardCharsets.UTF_8);
    String[] args = {"--help"};
    int code = switch (command) {
      case "produce" -> TickProducer.run(args, print, print);
      case "show" -> ServingCommands.show(args, print, print);
      case "chart" -> ServingCommands.chart(args, print, print);
      case "serve" -> io.candlebeam.pipeline.serve.ServeCommand.run(args, print, print);
      case "generate" -> {
        PrintStream was = System.out;
        System.setOut(print);
        try {
          io.candlebeam.testdata.TickGenerator.main(args);
        } finally {
          System.setOut(was);
        }
        yield 0;
      }
      default -> 2;
    };
    return code == 0 ? out.toString(StandardCharsets.UTF_8) : null;
  }

  /** The commands in {@code doc}: continuation lines joined, inline code cut at its backtick. */
  static List<Shown> commandsIn(Path doc) throws IOException {
    String text = Files.readString(doc).replace("\\\n", " ");
    List<Shown> found = new ArrayList<>();
    int at = 0;
    while ((at = text.indexOf(JAR, at)) >= 0) {
      int end = at;
      while (end < text.length() && text.charAt(end) != '\n' && text.charAt(end) != '`') {
        end++;
      }
      String line = text.substring(at + JAR.length(), end);
      int comment = line.indexOf(" #");
      if (comment >= 0) {
        line = line.substring(0, comment);
      }
      List<String> tokens = tokens(line);
      String command = !tokens.isEmpty() && COMMANDS.contains(tokens.get(0)) ? tokens.remove(0) : "run";
      tokens.removeIf(t -> !t.startsWith("--"));
      found.add(new Shown(doc.getFileName().toString(), command, tokens));
      at = end;
    }
    return found;
  }

  /** Splits on blanks outside single quotes, dropping the quotes. */
  private static List<String> tokens(String line) {
    List<String> out = new ArrayList<>();
    Matcher m = Pattern.compile("(?:'[^']*'|[^\\s'])+").matcher(line);
    while (m.find()) {
      out.add(m.group().replace("'", ""));
    }
    return out;
  }
}
