package io.candlebeam.pipeline;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** CSV output, and show / chart reading a run's files. One DirectRunner batch run feeds them all. */
class ServingCommandsTest {
  @TempDir
  static Path out;
  private static final Map<String, JsonNode> EXPECTED = expected();

  private static Map<String, JsonNode> expected() {
    try {
      return ExpectedCandles.load(BundledTestData.resource("expected/candles.jsonl"));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @BeforeAll
  static void runTheBundledData() {
    int code = Launcher.plain().launch(new String[] {"--runner=DirectRunner", "--outputDir=" + out,
        "--sinks=parquet,json,csv"}, new PrintStream(new ByteArrayOutputStream()), System.err);
    assertThat(code, is(0));
  }

  private static String run(java.util.function.BiFunction<PrintStream, PrintStream, Integer> cmd,
      int expectedCode) {
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    int code = cmd.apply(new PrintStream(o, true), new PrintStream(e, true));
    assertThat(e.toString(StandardCharsets.UTF_8), code, is(expectedCode));
    return o.toString(StandardCharsets.UTF_8) + e.toString(StandardCharsets.UTF_8);
  }

  @Test
  void csvHasAHeaderAndTheReferenceValues() throws Exception {
    List<Path> files = ExpectedCandles.files(out.resolve("csv"), ".csv");
    assertThat(files.size(), is(EXPECTED.size()));
    List<String> lines = Files.readAllLines(
        out.resolve("csv/symbol=BNBUSDT/20240301T000000.000Z_20240302T000000.000Z_pane-000.csv"));
    assertThat(lines.get(0), is("date,symbol,daily_open,daily_high,daily_low,daily_close,"
        + "daily_volume,daily_quote_volume,total_trades,tick_count,avg_price,window_end,"
        + "pane_timing,pane_index,is_final"));
    JsonNode bnb = EXPECTED.get("BNBUSDT|2024-03-01T00:00:00Z");
    String[] row = lines.get(1).split(",", -1);
    assertThat(lines.size(), is(2));
    assertThat(row[0], is("2024-03-01T00:00:00Z"));
    assertThat(row[1], is("BNBUSDT"));
    assertThat(Double.parseDouble(row[2]), is(bnb.get("daily_open").asDouble()));
    assertThat(Double.parseDouble(row[5]), is(bnb.get("daily_close").asDouble()));
    assertThat(Long.parseLong(row[9]), is(bnb.get("tick_count").asLong()));
    assertThat(Double.parseDouble(row[10]), is(bnb.get("avg_price").asDouble()));
  }

  @Test
  void showPrintsTheNewestCandlesFromParquetOrJson() {
    for (String from : List.of(out.toString(), out.resolve("json").toString())) {
      String table = run((o, e) -> ServingCommands.show(new String[] {"--from=" + from,
          "--symbol=ETHUSDT", "--last=3"}, o, e), 0);
      assertThat(table, containsString("2024-03-04 ETHUSDT"));
      assertThat(table, containsString("2024-03-02 ETHUSDT"));
      assertThat(table.contains("2024-03-01 ETHUSDT"), is(false));
      assertThat(table, containsString("3 candles"));
    }
    String all = run((o, e) -> ServingCommands.show(new String[] {"--from=" + out}, o, e), 0);
    assertThat(all, containsString(EXPECTED.size() + " candles"));
  }

  @Test
  void showSkipsAnEmptyParquetFolderLeftByAnEarlierRun(@TempDir Path run) throws Exception {
    // A batch run clears old files but not their folders: parquet/ exists, empty; json/ has data.
    Files.createDirectories(run.resolve("parquet/symbol=BTCUSDT"));
    Path json = Files.createDirectories(run.resolve("json/symbol=BTCUSDT"));
    Path source = out.resolve("json/symbol=BTCUSDT/20240301T000000.000Z_20240302T000000.000Z_pane-000.jsonl");
    Files.copy(source, json.resolve(source.getFileName()));
    String table = run((o, e) -> ServingCommands.show(new String[] {"--from=" + run}, o, e), 0);
    assertThat(table, containsString("2024-03-01 BTCUSDT"));
    assertThat(table, containsString("1 candles"));
  }

  @Test
  void showSaysWhatIsWrongWithASource() {
    String err = run((o, e) -> ServingCommands.show(new String[] {"--from=/no/such/run"}, o, e), 2);
    assertThat(err, containsString("is not a folder"));
  }

  @Test
  void chartDrawsOnePngCandlePerDay(@TempDir Path charts) throws Exception {
    Path png = charts.resolve("btc.png");
    Path html = charts.resolve("btc.html");
    String said = run((o, e) -> ServingCommands.chart(new String[] {"--from=" + out,
        "--symbol=BTCUSDT", "--out=" + png, "--html=" + html}, o, e), 0);
    long btcDays = EXPECTED.keySet().stream().filter(k -> k.startsWith("BTCUSDT|")).count();
    assertThat(said, containsString("(" + btcDays + " candles of BTCUSDT)"));
    BufferedImage image = ImageIO.read(png.toFile());
    assertThat(image.getWidth(), is(1000));
    assertThat(image.getHeight(), is(600));
    assertThat(Files.readString(html), containsString("data:image/png;base64,"));
    String noSymbol = run((o, e) -> ServingCommands.chart(new String[] {"--from=" + out,
        "--out=" + png}, o, e), 2);
    assertThat(noSymbol, containsString("--symbol is required"));
  }
}
