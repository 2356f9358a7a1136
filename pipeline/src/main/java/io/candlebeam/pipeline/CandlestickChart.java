package io.candlebeam.pipeline;

import io.candlebeam.transforms.model.Candle;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Date;
import java.util.List;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.DateAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.CandlestickRenderer;
import org.jfree.chart.renderer.xy.XYBarRenderer;
import org.jfree.data.xy.DefaultHighLowDataset;
import org.jfree.data.xy.XYIntervalSeries;
import org.jfree.data.xy.XYIntervalSeriesCollection;

/**
 * A candlestick chart with JFreeChart: OHLC bodies and wicks above, volume bars beneath, dates on
 * the shared axis; each candle stands in the middle of its window. A candle with a missing open, high or low is drawn from what it has (a missing
 * open opens at the close, a missing wick ends at the body).
 */
final class CandlestickChart {
  private CandlestickChart() {}

  /** Draws {@code candles} (oldest first) as a PNG; returns how many candles it drew. */
  static int writePng(String symbol, List<Candle> candles, Path png) throws IOException {
    int n = candles.size();
    if (n == 0) {
      throw new IllegalArgumentException("no candles of " + symbol + " to draw");
    }
    Date[] dates = new Date[n];
    double[] open = new double[n];
    double[] high = new double[n];
    double[] low = new double[n];
    double[] close = new double[n];
    double[] volume = new double[n];
    XYIntervalSeries volumes = new XYIntervalSeries("volume");
    for (int i = 0; i < n; i++) {
      Candle c = candles.get(i);
      long width = c.windowEnd() - c.windowStart();
      long middle = c.windowStart() + width / 2; // each candle stands in the middle of its window
      dates[i] = new Date(middle);
      close[i] = c.close();
      open[i] = c.open() == null ? c.close() : c.open();
      high[i] = c.high() == null ? Math.max(open[i], close[i]) : c.high();
      low[i] = c.low() == null ? Math.min(open[i], close[i]) : c.low();
      volume[i] = c.volume() == null ? 0 : c.volume();
      volumes.add(middle, c.windowStart() + width * 0.2, c.windowEnd() - width * 0.2, volume[i], 0,
          volume[i]);
    }
    DefaultHighLowDataset ohlc =
        new DefaultHighLowDataset(symbol, dates, high, low, open, close, volume);

    NumberAxis priceAxis = new NumberAxis("price");
    priceAxis.setAutoRangeIncludesZero(false);
    CandlestickRenderer candlesticks = new CandlestickRenderer();
    candlesticks.setUpPaint(new Color(0x26, 0xa6, 0x9a));
    candlesticks.setDownPaint(new Color(0xef, 0x53, 0x50));
    candlesticks.setDrawVolume(false);
    XYPlot pricePlot = new XYPlot(ohlc, null, priceAxis, candlesticks);

    XYBarRenderer bars = new XYBarRenderer(0.2);
    bars.setShadowVisible(false);
    bars.setBarPainter(new org.jfree.chart.renderer.xy.StandardXYBarPainter());
    bars.setSeriesPaint(0, new Color(0x78, 0x90, 0x9c));
    XYIntervalSeriesCollection volumeData = new XYIntervalSeriesCollection();
    volumeData.addSeries(volumes);
    XYPlot volumePlot = new XYPlot(volumeData, null, new NumberAxis("volume"), bars);

    DateAxis dateAxis = new DateAxis("date (UTC)");
    dateAxis.setTimeZone(java.util.TimeZone.getTimeZone("UTC"));
    dateAxis.setLowerMargin(0.04);
    dateAxis.setUpperMargin(0.04);
    CombinedDomainXYPlot plot = new CombinedDomainXYPlot(dateAxis);
    plot.add(pricePlot, 3);
    plot.add(volumePlot, 1);
    JFreeChart chart = new JFreeChart(symbol + " candles", JFreeChart.DEFAULT_TITLE_FONT, plot, false);
    chart.setBackgroundPaint(Color.WHITE);
    ChartUtils.saveChartAsPNG(png.toFile(), chart, 1000, 600);
    return n;
  }
}
