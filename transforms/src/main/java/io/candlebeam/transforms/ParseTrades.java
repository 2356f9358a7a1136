package io.candlebeam.transforms;

import io.candlebeam.transforms.model.Trade;
import io.candlebeam.transforms.model.TradeCoder;
import io.candlebeam.transforms.parse.ParseRecords;
import io.candlebeam.transforms.parse.TradeParser;
import org.joda.time.Instant;

/**
 * Parses trade JSON and stamps each trade with its trade time {@code T}: the "parse" stage of the
 * trade job (the job runs it fused in {@link ParseAndCalculateCandles#trades}).
 */
public final class ParseTrades {
  public static final String STEP = "parse-trade";
  /** The trade parser (stateless, thread-safe). */
  public static final TradeParser PARSER = new TradeParser();

  private ParseTrades() {}

  /** Trades out, dead letters (raw payload, origin, reason) in the failures output. */
  public static ParseRecords<Trade> fromJson() {
    return ParseRecords.with(PARSER, TradeCoder.of(), STEP).withEventTime(ParseTrades::eventTime);
  }

  /** A trade's event time: its trade time {@code T}. */
  public static Instant eventTime(Trade trade) {
    return new Instant(trade.tradeTime());
  }
}
