package io.candlebeam.pipeline.serve;

import java.util.List;

/**
 * Where the served candles come from, read again and again while a job writes them: each {@link
 * #poll} returns the candle panes read since the last one (possibly some seen before; {@link
 * LiveCandles} keeps the latest pane of each candle).
 */
public interface CandleFeed {
  /** The panes written since the last poll (all of them on the first). */
  List<ServedCandle> poll() throws Exception;

  /** Where the feed reads, for the status line and the start message. */
  String describe();
}
