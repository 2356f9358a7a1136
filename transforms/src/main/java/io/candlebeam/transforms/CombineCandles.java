package io.candlebeam.transforms;

import io.candlebeam.transforms.combine.CombinePerKeyAndWindow;
import io.candlebeam.transforms.combine.OhlcAccumulator;
import io.candlebeam.transforms.combine.OhlcCombineFn;
import io.candlebeam.transforms.model.Candle;
import io.candlebeam.transforms.model.CandleCoder;
import io.candlebeam.transforms.model.Tick;
import io.candlebeam.transforms.window.WindowBounds;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.windowing.BoundedWindow;
import org.apache.beam.sdk.transforms.windowing.PaneInfo;
import org.apache.beam.sdk.values.PCollection;

/**
 * Combines windowed ticks into one {@link Candle} per symbol, window and fired pane: the "combine
 * OHLC" stage. State stays at partial candles on every runner (see {@link CombinePerKeyAndWindow}).
 *
 * <p>A stage of the reference (staged) form of the candle job; the job runs these stages fused
 * in {@link ParseAndCalculateCandles}, which is tested against them.
 */
public final class CombineCandles extends PTransform<PCollection<Tick>, PCollection<Candle>> {

  @Override
  public PCollection<Candle> expand(PCollection<Tick> ticks) {
    return ticks.apply("CombineOhlc", perSymbolAndWindow());
  }

  /** The OHLC combine per symbol and window (also the second half of the fused hot path). */
  static CombinePerKeyAndWindow<Tick, String, OhlcAccumulator, Candle> perSymbolAndWindow() {
    return CombinePerKeyAndWindow.perKey(Tick::symbol, StringUtf8Coder.of(), new OhlcCombineFn())
        .skippingEmpty(OhlcAccumulator::isEmpty)
        .emitting(CombineCandles::toCandle, CandleCoder.of());
  }

  static Candle toCandle(String symbol, OhlcAccumulator a, BoundedWindow window, PaneInfo pane) {
    return new Candle(
        symbol,
        WindowBounds.start(window),
        WindowBounds.end(window),
        a.openOrNull(),
        a.highOrNull(),
        a.lowOrNull(),
        a.close(),
        a.volumeOrNull(),
        a.quoteVolumeOrNull(),
        a.tradesOrNull(),
        a.count(),
        a.avgPrice(),
        pane.getTiming().name(),
        pane.getIndex(),
        pane.isLast());
  }
}
