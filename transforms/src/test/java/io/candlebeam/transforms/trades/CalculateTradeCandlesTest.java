package io.candlebeam.transforms.trades;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import io.candlebeam.transforms.ParseAndCalculateCandles;
import io.candlebeam.transforms.TestPipelines;
import io.candlebeam.transforms.dedup.DropDuplicates;
import io.candlebeam.transforms.io.TradeCandleJson;
import io.candlebeam.transforms.model.RawRecord;
import io.candlebeam.transforms.model.RawRecordCoder;
import io.candlebeam.transforms.model.TradeCandle;
import io.candlebeam.transforms.parse.ParseRecords;
import io.candlebeam.transforms.window.OutputMode;
import io.candlebeam.transforms.window.WindowSpec;
import io.candlebeam.transforms.window.Windowing;
import java.util.List;
import java.util.Map;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.testing.PAssert;
import org.apache.beam.sdk.testing.TestStream;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.MapElements;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PCollectionTuple;
import org.apache.beam.sdk.values.TimestampedValue;
import org.apache.beam.sdk.values.TypeDescriptors;
import org.joda.time.Duration;
import org.joda.time.Instant;
import org.junit.jupiter.api.Test;

/**
 * The trade job's fused path ({@link ParseAndCalculateCandles#trades}) over two timeframes at once,
 * 1 m and 1 h, append mode, 5 min allowed lateness: one test per lateness class, each bar written
 * as {@code timeframe start timing#index O H L C V trades}. Expected values are worked out by hand:
 *
 * <pre>
 * trade  time      price  qty   taker
 * A      00:00:10  10     1     buy
 * B      00:00:50  12     1     sell
 * C      00:01:30  11     2     buy
 * L      00:00:30   9     1     buy    (late for the 1 m bar 00:00, on time for the 1 h bar)
 * </pre>
 */
class CalculateTradeCandlesTest {
  private static final Instant BASE = Instant.parse("2024-03-01T00:00:00Z");
  private static final Windowing WINDOWING = Windowing.daily()
      .withWindows(WindowSpec.timeframes(
          List.of(Duration.standardMinutes(1), Duration.standardHours(1))))
      .withMode(OutputMode.APPEND)
      .withAllowedLateness(Duration.standardMinutes(5));

  private static String trade(long id, String time, String price, String qty, boolean maker) {
    return "{\"e\":\"trade\",\"s\":\"BTCUSDT\",\"t\":" + id + ",\"p\":\"" + price + "\",\"q\":\""
        + qty + "\",\"T\":" + at(time).getMillis() + ",\"m\":" + maker + "}";
  }

  private static final String A = trade(1, "00:00:10", "10", "1", false);
  private static final String B = trade(2, "00:00:50", "12", "1", true);
  private static final String C = trade(3, "00:01:30", "11", "2", false);
  private static final String L = trade(4, "00:00:30", "9", "1", false);

  private static Instant at(String time) {
    return Instant.parse("2024-03-01T" + time + "Z");
  }

  private static TimestampedValue<RawRecord> record(String payload, String time) {
    return TimestampedValue.of(new RawRecord(payload, "test", Map.of()), at(time));
  }

  private static PCollection<String> bars(PCollectionTuple out) {
    return out.get(ParseAndCalculateCandles.TRADE_CANDLES)
        .apply(MapElements.into(TypeDescriptors.strings()).via(CalculateTradeCandlesTest::show));
  }

  static String show(TradeCandle c) {
    return c.timeframe() + " " + java.time.Instant.ofEpochMilli(c.windowStart()).toString()
        .substring(11, 16) + " " + c.paneTiming() + "#" + c.paneIndex() + " O" + plain(c.open())
        + " H" + plain(c.high()) + " L" + plain(c.low()) + " C" + plain(c.close())
        + " V" + plain(c.volume()) + " N" + c.trades();
  }

  private static String plain(java.math.BigDecimal d) {
    return TradeCandleJson.plain(d);
  }

  private static TestStream.Builder<RawRecord> stream() {
    return TestStream.create(RawRecordCoder.of()).advanceWatermarkTo(BASE);
  }

  @Test
  void onTimeTradesGiveOneBarPerTimeframeAndWindow() {
    Pipeline p = TestPipelines.create();
    TestStream<RawRecord> records = stream()
        .addElements(record(A, "00:00:10"), record(B, "00:00:50"), record(C, "00:01:30"))
        // Watermark to infinity: every window fires its ON_TIME pane, nothing is late.
        .advanceWatermarkToInfinity();
    PAssert.that(bars(p.apply(records).apply(ParseAndCalculateCandles.trades(WINDOWING))))
        .containsInAnyOrder(
            "1m 00:00 ON_TIME#0 O10 H12 L10 C12 V2 N2",
            "1m 00:01 ON_TIME#0 O11 H11 L11 C11 V2 N1",
            "1h 00:00 ON_TIME#0 O10 H12 L10 C11 V4 N3");
    TestPipelines.runAndVerify(p);
  }

  @Test
  void anUnobservablyLateTradeJoinsTheOnTimePaneOfEveryTimeframe() {
    Pipeline p = TestPipelines.create();
    TestStream<RawRecord> records = stream()
        .addElements(record(A, "00:00:10"), record(B, "00:00:50"))
        // Watermark to 00:00:40: L (00:00:30) is behind it, but the 1 m window 00:00 is open.
        .advanceWatermarkTo(at("00:00:40"))
        .addElements(record(L, "00:00:30"))
        .advanceWatermarkToInfinity();
    PAssert.that(bars(p.apply(records).apply(ParseAndCalculateCandles.trades(WINDOWING))))
        .containsInAnyOrder(
            "1m 00:00 ON_TIME#0 O10 H12 L9 C12 V3 N3",
            "1h 00:00 ON_TIME#0 O10 H12 L9 C12 V3 N3");
    TestPipelines.runAndVerify(p);
  }

  @Test
  void anObservablyLateTradeFiresALatePaneOfTheSmallTimeframeOnly() {
    Pipeline p = TestPipelines.create();
    TestStream<RawRecord> records = stream()
        .addElements(record(A, "00:00:10"), record(B, "00:00:50"), record(C, "00:01:30"))
        // Watermark to 00:03: the 1 m bars 00:00 and 00:01 fire ON_TIME; the 1 h bar is open.
        .advanceWatermarkTo(at("00:03:00"))
        // L is late for the 1 m bar 00:00 (within its 5 min lateness): a LATE pane, accumulating.
        .addElements(record(L, "00:00:30"))
        .advanceWatermarkToInfinity();
    PAssert.that(bars(p.apply(records).apply(ParseAndCalculateCandles.trades(WINDOWING))))
        .containsInAnyOrder(
            "1m 00:00 ON_TIME#0 O10 H12 L10 C12 V2 N2",
            "1m 00:00 LATE#1 O10 H12 L9 C12 V3 N3",
            "1m 00:01 ON_TIME#0 O11 H11 L11 C11 V2 N1",
            "1h 00:00 ON_TIME#0 O10 H12 L9 C11 V5 N4");
    TestPipelines.runAndVerify(p);
  }

  @Test
  void aTradeDroppablyLateForTheSmallTimeframeStillCountsInTheLargeOne() {
    Pipeline p = TestPipelines.create();
    TestStream<RawRecord> records = stream()
        .addElements(record(A, "00:00:10"), record(B, "00:00:50"))
        // Watermark to 00:07: the 1 m bar 00:00 closed at 00:06 (end + 5 min); the 1 h bar is open.
        .advanceWatermarkTo(at("00:07:00"))
        // L is dropped from the 1 m bar (the runner counts it), and joins the 1 h bar on time.
        .addElements(record(L, "00:00:30"))
        .advanceWatermarkToInfinity();
    PAssert.that(bars(p.apply(records).apply(ParseAndCalculateCandles.trades(WINDOWING))))
        .containsInAnyOrder(
            "1m 00:00 ON_TIME#0 O10 H12 L10 C12 V2 N2",
            "1h 00:00 ON_TIME#0 O10 H12 L9 C12 V3 N3");
    TestPipelines.runAndVerify(p);
  }

  @Test
  void aTradeDeliveredTwiceCountsOnceAndTheRepeatIsCounted() {
    Pipeline p = TestPipelines.create();
    TestStream<RawRecord> records = stream()
        .addElements(record(A, "00:00:10"), record(B, "00:00:50"))
        // A again, in a later bundle (a producer re-sent it), and B twice more with C.
        .advanceWatermarkTo(at("00:00:55"))
        .addElements(record(A, "00:00:10"), record(B, "00:00:50"), record(C, "00:01:30"),
            record(B, "00:00:50"))
        .advanceWatermarkToInfinity();
    PAssert.that(bars(p.apply(records).apply(ParseAndCalculateCandles.trades(WINDOWING))))
        .containsInAnyOrder(
            "1m 00:00 ON_TIME#0 O10 H12 L10 C12 V2 N2",
            "1m 00:01 ON_TIME#0 O11 H11 L11 C11 V2 N1",
            "1h 00:00 ON_TIME#0 O10 H12 L10 C11 V4 N3");
    PipelineResult result = TestPipelines.runAndVerify(p);
    assertThat(TestPipelines.counter(result, DropDuplicates.DUPLICATES), is(3L));
    assertThat(TestPipelines.counter(result, ParseRecords.PARSED), is(6L));
  }

  @Test
  void withoutDeduplicationARepeatCountsTwice() {
    Pipeline p = TestPipelines.create();
    TestStream<RawRecord> records = stream()
        .addElements(record(A, "00:00:10"), record(A, "00:00:10"))
        .advanceWatermarkToInfinity();
    PAssert.that(bars(p.apply(records)
            .apply(ParseAndCalculateCandles.trades(WINDOWING).deduplicating(false))))
        .containsInAnyOrder(
            "1m 00:00 ON_TIME#0 O10 H10 L10 C10 V2 N2",
            "1h 00:00 ON_TIME#0 O10 H10 L10 C10 V2 N2");
    TestPipelines.runAndVerify(p);
  }

  @Test
  void aTradeTooLateForEveryTimeframeIsSetAsideAndABadOneIsADeadLetter() {
    // The reader's watermark was 01:10 when it read L: the 1 h bar 00:00 closed at 01:05.
    Instant readUnder = at("01:10:00");
    Pipeline p = TestPipelines.create();
    PCollectionTuple out = p
        .apply(Create.timestamped(List.of(
                TimestampedValue.of(new RawRecord(A, "k@0", Map.of(), readUnder.getMillis()),
                    at("00:00:10")),
                TimestampedValue.of(new RawRecord(L, "k@1", Map.of(), readUnder.getMillis()),
                    at("00:00:30")),
                TimestampedValue.of(new RawRecord("{\"e\":\"trade\"}", "k@2", Map.of()),
                    at("00:00:30"))))
            .withCoder(RawRecordCoder.of()))
        .apply(ParseAndCalculateCandles.trades(WINDOWING.withAllowedLateness(Duration.ZERO)
            .withWindows(WindowSpec.timeframes(List.of(Duration.standardHours(1))))));
    PAssert.that(out.get(ParseAndCalculateCandles.TOO_LATE)
            .apply(MapElements.into(TypeDescriptors.strings()).via(d -> d.origin())))
        .containsInAnyOrder("k@0", "k@1");
    PAssert.that(out.get(ParseAndCalculateCandles.DEAD_LETTERS)
            .apply(MapElements.into(TypeDescriptors.strings()).via(d -> d.reason())))
        .containsInAnyOrder("required field 's' (symbol) is missing or null");
    PAssert.that(out.get(ParseAndCalculateCandles.TRADE_CANDLES)).empty();
    PipelineResult result = TestPipelines.runAndVerify(p);
    assertThat(TestPipelines.counter(result, ParseRecords.DEAD_LETTERS), is(1L));
  }
}
