package io.candlebeam.transforms.parse;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.candlebeam.transforms.ParseTicks;
import io.candlebeam.transforms.TestPipelines;
import io.candlebeam.transforms.model.DeadLetter;
import io.candlebeam.transforms.model.RawRecord;
import io.candlebeam.transforms.model.RawRecordCoder;
import io.candlebeam.transforms.model.Tick;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.transforms.WithFailures;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The tick parser: what it accepts, one case per malformed kind, and both outputs in a pipeline. */
class ParseTicksTest {
  private static final String FULL = "{\"symbol\":\"BTCUSDT\",\"event_time\":1709251200123,"
      + "\"price\":43250.12,\"open\":42000.5,\"high\":43500,\"low\":41800.25,\"volume\":1234.5,"
      + "\"quote_volume\":53000000.75,\"number_trades\":98765,\"price_change\":-12.5,"
      + "\"price_change_percent\":-0.03,\"timestamp\":\"2024-03-01T00:00:00.123Z\","
      + "\"extra\":{\"nested\":[1,2,3]}}";

  private final TickParser parser = new TickParser();

  @Test
  void parsesEveryFieldAndIgnoresUnknownOnes() throws Exception {
    Tick t = parser.parse(FULL);
    assertThat(t, is(new Tick("BTCUSDT", 1709251200123L, 43250.12, 42000.5, 43500.0, 41800.25,
        1234.5, 53000000.75, 98765L, -12.5, -0.03, "2024-03-01T00:00:00.123Z")));
  }

  @Test
  void optionalFieldsMayBeMissingOrNull() throws Exception {
    Tick t = parser.parse(
        "{\"symbol\":\"ETH-USD\",\"event_time\":1709251200000,\"price\":1,\"open\":null}");
    assertThat(t, is(Tick.of("ETH-USD", 1709251200000L, 1.0)));
    assertThat(t.open(), nullValue());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "not JSON                | {broken                                                         | invalid JSON",
      "an array                | [1,2]                                                           | not a JSON object",
      "a bare string           | `\"BTCUSDT\"`                                                   | not a JSON object",
      "empty line              | `  `                                                            | empty record",
      "trailing garbage        | {\"symbol\":\"A\",\"event_time\":1709251200000,\"price\":1} x   | trailing content",
      "missing symbol          | {\"event_time\":1709251200000,\"price\":1}                      | 'symbol' is missing",
      "null symbol             | {\"symbol\":null,\"event_time\":1709251200000,\"price\":1}      | 'symbol' is missing",
      "symbol not a string     | {\"symbol\":7,\"event_time\":1709251200000,\"price\":1}         | 'symbol' must be a string",
      "path traversal symbol   | {\"symbol\":\"../../etc/passwd\",\"event_time\":1709251200000,\"price\":1} | 'symbol' must be 1-32 characters",
      "empty symbol            | {\"symbol\":\"\",\"event_time\":1709251200000,\"price\":1}      | 'symbol' must be 1-32 characters",
      "symbol too long         | {\"symbol\":\"ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456\",\"event_time\":1709251200000,\"price\":1} | 'symbol' must be 1-32 characters",
      "missing event_time      | {\"symbol\":\"A\",\"price\":1}                                  | 'event_time' is missing",
      "event_time as string    | {\"symbol\":\"A\",\"event_time\":\"1709251200000\",\"price\":1} | 'event_time' must be an integer",
      "event_time fractional   | {\"symbol\":\"A\",\"event_time\":1709251200000.5,\"price\":1}   | 'event_time' must be an integer",
      "event_time in seconds   | {\"symbol\":\"A\",\"event_time\":1709251200,\"price\":1}        | 'event_time' must be epoch milliseconds",
      "event_time far future   | {\"symbol\":\"A\",\"event_time\":9999999999999,\"price\":1}     | 'event_time' must be epoch milliseconds",
      "event_time huge integer | {\"symbol\":\"A\",\"event_time\":99999999999999999999999,\"price\":1} | 'event_time' is out of integer range",
      "missing price           | {\"symbol\":\"A\",\"event_time\":1709251200000}                 | 'price' is missing",
      "null price              | {\"symbol\":\"A\",\"event_time\":1709251200000,\"price\":null}  | 'price' is missing",
      "price as string         | {\"symbol\":\"A\",\"event_time\":1709251200000,\"price\":\"1.5\"} | 'price' must be a number",
      "price zero              | {\"symbol\":\"A\",\"event_time\":1709251200000,\"price\":0}     | 'price' must be > 0",
      "price negative          | {\"symbol\":\"A\",\"event_time\":1709251200000,\"price\":-3.5}  | 'price' must be > 0",
      "price NaN token         | {\"symbol\":\"A\",\"event_time\":1709251200000,\"price\":NaN}   | invalid JSON",
      "price beyond double     | {\"symbol\":\"A\",\"event_time\":1709251200000,\"price\":1e400} | 'price' is out of double range",
      "high beyond double      | {\"symbol\":\"A\",\"event_time\":1709251200000,\"price\":1,\"high\":-1e400} | 'high' is out of double range",
      "volume Infinity token   | {\"symbol\":\"A\",\"event_time\":1709251200000,\"price\":1,\"volume\":Infinity} | invalid JSON",
      "open wrong type         | {\"symbol\":\"A\",\"event_time\":1709251200000,\"price\":1,\"open\":true} | 'open' must be a number",
      "trades fractional       | {\"symbol\":\"A\",\"event_time\":1709251200000,\"price\":1,\"number_trades\":2.5} | 'number_trades' must be an integer",
      "timestamp not a string  | {\"symbol\":\"A\",\"event_time\":1709251200000,\"price\":1,\"timestamp\":5} | 'timestamp' must be a string",
  })
  void rejectsMalformedRecordsWithAReason(String kind, String payload, String reason) {
    MalformedRecordException e =
        assertThrows(MalformedRecordException.class, () -> parser.parse(payload), kind);
    assertThat(kind, e.getMessage(), containsString(reason));
  }

  @Test
  void pipelineSplitsTicksFromDeadLettersAndCountsBoth() {
    Pipeline p = TestPipelines.create();
    List<RawRecord> raw = new ArrayList<>();
    raw.add(RawRecord.of(FULL, "a.jsonl:1"));
    raw.add(RawRecord.of("{\"symbol\":\"../x\",\"event_time\":1709251200000,\"price\":1}", "a.jsonl:2"));
    raw.add(RawRecord.of("{\"symbol\":\"ETHUSDT\",\"event_time\":1709337600000,\"price\":2}", "a.jsonl:3"));
    raw.add(RawRecord.of("garbage", "a.jsonl:4"));
    WithFailures.Result<PCollection<Tick>, DeadLetter> result = p
        .apply(Create.of(raw).withCoder(RawRecordCoder.of()))
        .apply(ParseTicks.fromJson());

    PAssert.that(result.output()).containsInAnyOrder(
        new Tick("BTCUSDT", 1709251200123L, 43250.12, 42000.5, 43500.0, 41800.25, 1234.5,
            53000000.75, 98765L, -12.5, -0.03, "2024-03-01T00:00:00.123Z"),
        Tick.of("ETHUSDT", 1709337600000L, 2.0));
    PAssert.that(result.failures()).satisfies(letters -> {
      List<String> seen = new ArrayList<>();
      for (DeadLetter d : letters) {
        seen.add(d.origin() + " " + d.payload() + " " + d.step() + " " + d.errorType());
        assertThat(d.reason(), d.origin().equals("a.jsonl:2")
            ? containsString("'symbol' must be") : containsString("invalid JSON"));
      }
      assertThat(seen.size(), is(2));
      assertThat(seen.contains(
          "a.jsonl:2 {\"symbol\":\"../x\",\"event_time\":1709251200000,\"price\":1} parse-tick "
              + "MalformedRecordException"), is(true));
      assertThat(seen.contains("a.jsonl:4 garbage parse-tick MalformedRecordException"), is(true));
      return null;
    });
    PipelineResult run = TestPipelines.runAndVerify(p);
    assertThat(TestPipelines.counter(run, ParseRecords.PARSED), is(2L));
    assertThat(TestPipelines.counter(run, ParseRecords.DEAD_LETTERS), is(2L));
  }

  @Test
  void parsedTicksCarryTheirEventTimeAsTimestamp() {
    Pipeline p = TestPipelines.create();
    PCollection<Long> stamps = p
        .apply(Create.of(RawRecord.of(
            "{\"symbol\":\"A\",\"event_time\":1709251200999,\"price\":1}", "x:1"))
            .withCoder(RawRecordCoder.of()))
        .apply(ParseTicks.fromJson()).output()
        .apply(org.apache.beam.sdk.transforms.Reify.timestamps())
        .apply(MapElements.into(TypeDescriptors.longs()).via(tv -> tv.getTimestamp().getMillis()));
    PAssert.that(stamps).containsInAnyOrder(1709251200999L);
    TestPipelines.runAndVerify(p);
  }
}
