package io.candlebeam.transforms.combine;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import io.candlebeam.transforms.model.Trade;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.apache.beam.sdk.testing.CombineFnTester;
import org.apache.beam.sdk.util.CoderUtils;
import org.hamcrest.Description;
import org.hamcrest.Matcher;
import org.hamcrest.TypeSafeMatcher;
import org.junit.jupiter.api.Test;

/**
 * The OHLCV combine of trades with {@link CombineFnTester} (many orders, splits and merges): open,
 * close, high and low by (trade time, id), exact decimal sums, aggTrade counts.
 */
class TradeOhlcvCombineFnTest {
  private static final long T0 = 1_709_251_200_000L; // 2024-03-01T00:00Z
  private final TradeOhlcvCombineFn fn = new TradeOhlcvCombineFn();

  private static Trade trade(long offsetMs, long id, String price, String qty, boolean maker) {
    return Trade.of("BTCUSDT", T0 + offsetMs, id, price, qty, maker);
  }

  /** The bar as text (after a coder round trip), so one string says everything expected. */
  private static String describe(TradeOhlcv a) {
    TradeOhlcv r;
    try {
      r = CoderUtils.clone(TradeOhlcvCoder.of(), a);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
    return "O " + r.open().toPlainString() + "@" + (r.openTime() - T0)
        + " H " + r.high().toPlainString() + "@" + (r.highTime() - T0)
        + " L " + r.low().toPlainString() + "@" + (r.lowTime() - T0)
        + " C " + r.close().toPlainString() + "@" + (r.closeTime() - T0)
        + " V " + r.volume().stripTrailingZeros().toPlainString()
        + " Q " + r.quoteVolume().stripTrailingZeros().toPlainString()
        + " B " + r.buyVolume().stripTrailingZeros().toPlainString()
        + " S " + r.sellVolume().stripTrailingZeros().toPlainString()
        + " VWAP " + r.vwap().toPlainString()
        + " N " + r.trades() + "/" + r.records() + " ids " + r.firstTradeId() + ".." + r.lastTradeId();
  }

  private static Matcher<TradeOhlcv> bar(String expected) {
    return new TypeSafeMatcher<>() {
      @Override
      protected boolean matchesSafely(TradeOhlcv a) {
        return describe(a).equals(expected);
      }

      @Override
      public void describeTo(Description d) {
        d.appendText(expected);
      }

      @Override
      protected void describeMismatchSafely(TradeOhlcv a, Description d) {
        d.appendText("was " + describe(a));
      }
    };
  }

  @Test
  void combinesInAnyOrderAndSplit() {
    List<Trade> trades = List.of(
        trade(1_000, 10, "100.10", "0.5", false),   // open
        trade(2_000, 11, "105.00", "0.25", true),   // high
        trade(3_000, 12, "99.90", "1.25", false),   // low
        trade(4_000, 13, "101.00", "2", true));     // close
    // volume 4; quote 50.05 + 26.25 + 124.875 + 202 = 403.175; vwap 100.79375
    CombineFnTester.testCombineFn(fn, trades, bar("O 100.10@1000 H 105.00@2000 L 99.90@3000 "
        + "C 101.00@4000 V 4 Q 403.175 B 1.75 S 2.25 VWAP 100.79375 N 4/4 ids 10..13"));
  }

  @Test
  void tradesInOneMillisecondAreOrderedById() {
    // Three trades in the same millisecond: the id decides open and close, whatever the arrival;
    // the high 7 is traded twice, and its time is the first of them.
    List<Trade> trades = List.of(
        trade(500, 3, "7", "1", false),
        trade(500, 1, "5", "1", false),
        trade(500, 2, "6", "1", false),
        trade(900, 4, "7", "1", false));
    CombineFnTester.testCombineFn(fn, trades, bar(
        "O 5@500 H 7@500 L 5@500 C 7@900 V 4 Q 25 B 4 S 0 VWAP 6.25 N 4/4 ids 1..4"));
  }

  @Test
  void decimalSumsAreExact() {
    // 0.1 + 0.2 in binary floating point is 0.30000000000000004; here it is 0.3, in any order.
    List<Trade> trades = new ArrayList<>();
    for (int i = 0; i < 30; i++) {
      trades.add(trade(i, i, "0.1", i % 2 == 0 ? "0.1" : "0.2", i % 3 == 0));
    }
    Collections.shuffle(trades, new Random(7));
    // volume 15 × 0.1 + 15 × 0.2 = 4.5; quote = 0.45; buys: i % 3 != 0 → 20 trades
    CombineFnTester.testCombineFn(fn, trades, bar(
        "O 0.1@0 H 0.1@0 L 0.1@0 C 0.1@29 V 4.5 Q 0.45 B 3 S 1.5 VWAP 0.1 N 30/30 ids 0..29"));
  }

  @Test
  void anAggTradeCountsEveryTradeItStandsFor() {
    Trade agg = new Trade("BTCUSDT", T0 + 10, 900, new BigDecimal("50"), new BigDecimal("3"),
        true, T0 + 11, 100, 104);
    Trade plain = trade(20, 105, "51", "1", false);
    CombineFnTester.testCombineFn(fn, List.of(agg, plain), bar(
        "O 50@10 H 51@20 L 50@10 C 51@20 V 4 Q 201 B 1 S 3 VWAP 50.25 N 6/2 ids 100..105"));
  }

  @Test
  void theSameTradeDeliveredTwiceCannotChangeOpenOrClose() {
    // Without de-duplication a repeat is counted twice, but which trade opens or closes does not
    // depend on which copy came first.
    List<Trade> trades = List.of(trade(1, 1, "10", "1", false), trade(1, 1, "10", "1", false),
        trade(2, 2, "11", "1", false));
    CombineFnTester.testCombineFn(fn, trades, bar(
        "O 10@1 H 11@2 L 10@1 C 11@2 V 3 Q 31 B 3 S 0 VWAP 10.33333333333333 N 3/3 ids 1..2"));
  }

  @Test
  void anEmptyAccumulatorRoundTrips() throws Exception {
    TradeOhlcv empty = CoderUtils.clone(TradeOhlcvCoder.of(), new TradeOhlcv());
    assertThat(empty.isEmpty(), is(true));
    assertThat(empty, is(new TradeOhlcv()));
  }
}
