package io.candlebeam.transforms;

import io.candlebeam.transforms.combine.CombinePerKeyAndWindow;
import io.candlebeam.transforms.combine.TradeOhlcv;
import io.candlebeam.transforms.combine.TradeOhlcvCombineFn;
import io.candlebeam.transforms.model.Trade;
import io.candlebeam.transforms.model.TradeCandle;
import io.candlebeam.transforms.model.TradeCandleCoder;
import io.candlebeam.transforms.window.WindowBounds;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.values.PCollection;

/**
 * Combines windowed trades into one OHLCV {@link TradeCandle} per symbol, window and fired pane:
 * the "combine" stage of the trade job. With {@link io.candlebeam.transforms.window.Timeframes}
 * windows every timeframe comes out of this one combine, a bar per (symbol, window).
 */
public final class CombineTradeCandles
    extends PTransform<PCollection<Trade>, PCollection<TradeCandle>> {

  @Override
  public PCollection<TradeCandle> expand(PCollection<Trade> trades) {
    return trades.apply("CombineOhlcv", perSymbolAndWindow());
  }

  static CombinePerKeyAndWindow<Trade, String, TradeOhlcv, TradeCandle> perSymbolAndWindow() {
    return CombinePerKeyAndWindow.perKey(Trade::symbol, StringUtf8Coder.of(),
            new TradeOhlcvCombineFn())
        .skippingEmpty(TradeOhlcv::isEmpty)
        .emitting(CombineTradeCandles::toCandle, TradeCandleCoder.of());
  }

  static TradeCandle toCandle(String symbol, TradeOhlcv a, BoundedWindow window, PaneInfo pane) {
    return new TradeCandle(symbol, WindowBounds.start(window), WindowBounds.end(window),
        a.open(), a.high(), a.low(), a.close(),
        a.openTime(), a.highTime(), a.lowTime(), a.closeTime(),
        a.volume(), a.quoteVolume(), a.buyVolume(), a.sellVolume(), a.vwap(),
        a.trades(), a.records(), a.firstTradeId(), a.lastTradeId(),
        pane.getTiming().name(), pane.getIndex(), pane.isLast());
  }
}
