package io.candlebeam.transforms;

import io.candlebeam.transforms.model.Candle;
import io.candlebeam.transforms.model.Tick;
import io.candlebeam.transforms.window.AssignWindows;
import io.candlebeam.transforms.window.Windowing;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.values.PCollection;

/**
 * Event-time ticks in, candles out: windows, trigger, allowed lateness and accumulation (see the
 * pane table of {@link AssignWindows}) right next to the OHLC combine they govern.
 *
 * <p>A stage of the reference (staged) form of the candle job; the job runs these stages fused
 * in {@link ParseAndCalculateCandles}, which is tested against them.
 */
public final class CalculateCandles extends PTransform<PCollection<Tick>, PCollection<Candle>> {
  private final Windowing windowing;

  public CalculateCandles(Windowing windowing) {
    this.windowing = windowing;
  }

  @Override
  public PCollection<Candle> expand(PCollection<Tick> ticks) {
    return ticks
        .apply("AssignWindows", AssignWindows.of(windowing, Tick::symbol))
        .apply("CombineCandles", new CombineCandles());
  }
}
