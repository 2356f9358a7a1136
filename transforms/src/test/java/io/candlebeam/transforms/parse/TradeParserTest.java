package io.candlebeam.transforms.parse;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.candlebeam.transforms.ParseTrades;
import io.candlebeam.transforms.TestPipelines;
import io.candlebeam.transforms.model.DeadLetter;
import io.candlebeam.transforms.model.RawRecord;
import io.candlebeam.transforms.model.RawRecordCoder;
import io.candlebeam.transforms.model.Trade;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
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

/** The trade parser: both Binance payloads, one case per malformed kind, both outputs in a pipeline. */
class TradeParserTest {
  static final String TRADE = "{\"e\":\"trade\",\"E\":1709251200125,\"s\":\"BTCUSDT\","
      + "\"t\":12345,\"p\":\"43250.10\",\"q\":\"0.01250000\",\"T\":1709251200123,\"m\":true,"
      + "\"M\":true}";
  static final String AGG_TRADE = "{\"e\":\"aggTrade\",\"E\":1709251200130,\"s\":\"ETHUSDT\","
      + "\"a\":777,\"p\":\"3400.5\",\"q\":\"2\",\"f\":100,\"l\":104,\"T\":1709251200129,"
      + "\"m\":false}";

  private final TradeParser parser = new TradeParser();

  @Test
  void parsesATradeWithExactDecimals() throws Exception {
    Trade t = parser.parse(TRADE);
    assertThat(t, is(new Trade("BTCUSDT", 1709251200123L, 12345, new BigDecimal("43250.10"),
        new BigDecimal("0.01250000"), true, 1709251200125L, 12345, 12345)));
    assertThat(t.tradeCount(), is(1L));
    assertThat(t.quoteQuantity().toPlainString(), is("540.6262500000"));
  }

  @Test
  void anAggTradeStandsForItsTradeRange() throws Exception {
    Trade t = parser.parse(AGG_TRADE);
    assertThat(t.id(), is(777L));
    assertThat(t.firstTradeId(), is(100L));
    assertThat(t.lastTradeId(), is(104L));
    assertThat(t.tradeCount(), is(5L));
    assertThat(t.buyerIsMaker(), is(false));
  }

  @Test
  void decimalsMayBeJsonNumbersAndStayExact() throws Exception {
    Trade t = parser.parse(TRADE.replace("\"0.01250000\"", "0.1").replace("\"43250.10\"", "0.2"));
    assertThat(t.price().add(t.quantity()), is(new BigDecimal("0.3")));
  }

  @Test
  void theEventTimeIsOptional() throws Exception {
    assertThat(parser.parse(TRADE.replace("\"E\":1709251200125,", "")).eventTime(), is(0L));
  }

  @Test
  void readsTheTradeTimeWithoutAFullParse() {
    assertThat(TradeParser.tradeTimeOf(TRADE.getBytes(StandardCharsets.UTF_8)), is(1709251200123L));
    assertThat(TradeParser.tradeTimeOf("{\"T\":12}".getBytes(StandardCharsets.UTF_8)), nullValue());
    assertThat(TradeParser.tradeTimeOf("[1]".getBytes(StandardCharsets.UTF_8)), nullValue());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "not JSON              | {broken                            |                                 | invalid JSON",
      "an array              | [1]                                |                                 | not a JSON object",
      "empty                 | ` `                                |                                 | empty record",
      "trailing garbage      | TRADE x                            |                                 | trailing content",
      "no event type         | \"e\":\"trade\",                   | ``                              | required field 'e'",
      "other event type      | \"e\":\"trade\"                    | \"e\":\"kline\"                 | must be \"trade\" or \"aggTrade\"",
      "no symbol             | \"s\":\"BTCUSDT\",                 | ``                              | required field 's'",
      "bad symbol            | \"BTCUSDT\"                        | \"BTC/USDT\"                    | field 's' must be 1-32",
      "no trade time         | \"T\":1709251200123,               | ``                              | required field 'T'",
      "trade time in seconds | \"T\":1709251200123                | \"T\":1709251200                | epoch milliseconds",
      "trade time as string  | \"T\":1709251200123                | \"T\":\"1709251200123\"         | field 'T' must be an integer",
      "no trade id           | \"t\":12345,                       | ``                              | required field 't'",
      "negative trade id     | \"t\":12345                        | \"t\":-1                        | field 't' must be >= 0",
      "no price              | \"p\":\"43250.10\",                | ``                              | required field 'p'",
      "zero price            | \"43250.10\"                       | \"0.000\"                       | must be > 0, got 0.000",
      "negative price        | \"43250.10\"                       | \"-1\"                          | plain decimal",
      "price with exponent   | \"43250.10\"                       | 4.3e4                           | plain decimal",
      "price not a number    | \"43250.10\"                       | \"abc\"                         | plain decimal",
      "price an object       | \"43250.10\"                       | {}                              | field 'p' must be a decimal string, got an object",
      "no quantity           | \"q\":\"0.01250000\",              | ``                              | required field 'q'",
      "zero quantity         | \"0.01250000\"                     | \"0\"                           | field 'q' (quantity) must be > 0",
      "maker flag a string   | \"m\":true                         | \"m\":\"true\"                  | field 'm' must be a boolean",
      "no maker flag         | ,\"m\":true                        | ``                              | required field 'm'",
  })
  void rejectsWithTheReason(String kind, String find, String replace, String reason) {
    String payload = find.equals("TRADE x") ? TRADE + " x"
        : find.startsWith("{") || find.startsWith("[") || find.isBlank() ? find
        : TRADE.replace(find, replace == null ? "" : replace);
    MalformedRecordException e =
        assertThrows(MalformedRecordException.class, () -> parser.parse(payload), kind);
    assertThat(kind, e.getMessage(), containsString(reason));
  }

  @Test
  void anAggTradeNeedsItsRange() {
    MalformedRecordException e = assertThrows(MalformedRecordException.class,
        () -> parser.parse(AGG_TRADE.replace("\"l\":104", "\"l\":99")));
    assertThat(e.getMessage(), containsString("'l' (last trade id 99) is before 'f'"));
    e = assertThrows(MalformedRecordException.class,
        () -> parser.parse(AGG_TRADE.replace("\"a\":777,", "")));
    assertThat(e.getMessage(), containsString("required field 'a'"));
  }

  @Test
  void inAPipelineTradesAndDeadLettersBothComeOut() {
    Pipeline p = TestPipelines.create();
    String broken = TRADE.replace("\"p\":\"43250.10\"", "\"p\":\"x\"");
    WithFailures.Result<PCollection<Trade>, DeadLetter> out = p
        .apply(Create.of(List.of(new RawRecord(TRADE, "k@0", Map.of()),
                new RawRecord(broken, "k@1", Map.of()), new RawRecord(AGG_TRADE, "k@2", Map.of())))
            .withCoder(RawRecordCoder.of()))
        .apply(ParseTrades.fromJson());
    PAssert.that(out.output().apply(MapElements.into(TypeDescriptors.strings())
            .via(t -> t.symbol() + "#" + t.id() + "@" + t.price().toPlainString())))
        .containsInAnyOrder("BTCUSDT#12345@43250.10", "ETHUSDT#777@3400.5");
    PAssert.that(out.failures().apply(MapElements.into(TypeDescriptors.strings())
            .via(d -> d.origin() + "|" + d.step() + "|" + d.payload() + "|" + d.reason())))
        .containsInAnyOrder("k@1|" + ParseTrades.STEP + "|" + broken
            + "|field 'p' must be a plain decimal such as \"43250.10\", got x");
    PipelineResult result = TestPipelines.runAndVerify(p);
    assertThat(TestPipelines.counter(result, ParseRecords.PARSED), is(2L));
    assertThat(TestPipelines.counter(result, ParseRecords.DEAD_LETTERS), is(1L));
  }
}
