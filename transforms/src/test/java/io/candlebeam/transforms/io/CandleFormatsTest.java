package io.candlebeam.transforms.io;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import io.candlebeam.transforms.model.Candle;
import io.candlebeam.transforms.model.TradeCandle;
import java.math.BigDecimal;
import org.apache.avro.generic.GenericRecord;
import org.junit.jupiter.api.Test;

/**
 * Where each kind of candle goes: file keys, Kafka keys, CSV and Parquet forms. The seed's layout
 * for ticker candles is unchanged; with timeframes, and for trade bars, the timeframe is in every
 * key.
 */
class CandleFormatsTest {
  private static final long T0 = 1_709_251_200_000L; // 2024-03-01T00:00Z
  private static final long HOUR = 3_600_000L;

  private static final Candle TICKER = new Candle("BTCUSDT", T0, T0 + 24 * HOUR, 1.0, 2.0, 0.5,
      1.5, 10.0, 15.0, 7L, 3, 1.25, "LATE", 2, false);

  private static TradeCandle trade(long size) {
    BigDecimal p = new BigDecimal("43250.10");
    return new TradeCandle("BTCUSDT", T0, T0 + size, p, new BigDecimal("43260"),
        new BigDecimal("43240.5"), p, T0 + 1, T0 + 2, T0 + 3, T0 + 4, new BigDecimal("0.03"),
        new BigDecimal("1297.503"), new BigDecimal("0.01"), new BigDecimal("0.02"),
        new BigDecimal("43250.1"), 3, 2, 10, 12, "ON_TIME", 0, true);
  }

  @Test
  void tickerCandlesKeepTheSeedsLayout() {
    assertThat(WriteCandles.fileKey(TickerCandles.seed(), TICKER),
        is("symbol=BTCUSDT/20240301T000000.000Z_20240302T000000.000Z_pane-002"));
    assertThat(TickerCandles.seed().kafkaKey(TICKER), is("BTCUSDT|2024-03-01T00:00:00Z"));
  }

  @Test
  void withTimeframesTheTickerKeysCarryTheTimeframe() {
    assertThat(WriteCandles.fileKey(TickerCandles.withTimeframes(), TICKER),
        is("timeframe=1d/symbol=BTCUSDT/20240301T000000.000Z_20240302T000000.000Z_pane-002"));
    assertThat(TickerCandles.withTimeframes().kafkaKey(TICKER),
        is("BTCUSDT|1d|2024-03-01T00:00:00Z"));
  }

  @Test
  void tradeBarsAreKeyedByTimeframeToo() {
    TradeCandles f = new TradeCandles();
    assertThat(WriteCandles.fileKey(f, trade(HOUR)),
        is("timeframe=1h/symbol=BTCUSDT/20240301T000000.000Z_20240301T010000.000Z_pane-000"));
    assertThat(f.kafkaKey(trade(HOUR)), is("BTCUSDT|1h|2024-03-01T00:00:00Z"));
    assertThat(f.kafkaKey(trade(24 * HOUR)), is("BTCUSDT|1d|2024-03-01T00:00:00Z"));
  }

  @Test
  void aTradeBarsCsvRowHasEveryColumnExact() {
    TradeCandles f = new TradeCandles();
    assertThat(f.csvHeader(), is("timeframe,symbol,window_start,window_end,open,high,low,close,"
        + "volume,quote_volume,trades,vwap,buy_volume,sell_volume,open_at,high_at,low_at,close_at,"
        + "first_trade_id,last_trade_id,records,pane_timing,pane_index,is_final"));
    assertThat(f.toCsv(trade(HOUR)), is("1h,BTCUSDT,2024-03-01T00:00:00Z,2024-03-01T01:00:00Z,"
        + "43250.1,43260,43240.5,43250.1,0.03,1297.503,3,43250.1,0.01,0.02,"
        + "2024-03-01T00:00:00.001Z,2024-03-01T00:00:00.002Z,2024-03-01T00:00:00.003Z,"
        + "2024-03-01T00:00:00.004Z,10,12,2,ON_TIME,0,true"));
  }

  @Test
  void parquetHoldsDecimalsAsDecimal38Scale18() {
    GenericRecord r = new TradeCandles().toRecord(trade(HOUR));
    assertThat(TradeCandles.fromParquet(r.get("quote_volume")),
        is(new BigDecimal("1297.503000000000000000")));
    assertThat(r.getSchema().getField("open").schema().getLogicalType().getName(), is("decimal"));
  }

  @Test
  void theJsonFormRoundTrips() {
    TradeCandle c = trade(HOUR);
    TradeCandle back = TradeCandleJson.fromJson(TradeCandleJson.toJson(c));
    assertThat(TradeCandleJson.toJson(back), is(TradeCandleJson.toJson(c)));
    assertThat(back.timeframe(), is("1h"));
  }
}
