package io.candlebeam.pipeline.serve;

import io.candlebeam.pipeline.options.Durations;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The current candles: the latest pane of each (symbol, timeframe, window start), as the
 * PostgreSQL table keeps them, built from the panes a {@link CandleFeed} reads. A pane replaces the
 * candle's current one when its index is higher (an EARLY pane turning ON_TIME, then LATE), never
 * when it is lower (an old pane read late changes nothing). Listeners hear of every change.
 */
public final class LiveCandles {
  private final Map<String, ServedCandle> latest = new HashMap<>();
  private final List<Consumer<List<ServedCandle>>> listeners = new CopyOnWriteArrayList<>();
  private long panesReceived;
  private Instant lastUpdate;

  /**
   * Takes in panes read from the feed; returns (and tells the listeners) those that changed a
   * candle, in the order read.
   */
  public List<ServedCandle> take(Collection<ServedCandle> panes) {
    List<ServedCandle> changed = new ArrayList<>();
    synchronized (this) {
      for (ServedCandle pane : panes) {
        ServedCandle current = latest.get(pane.key());
        if (current == null || pane.paneIndex() > current.paneIndex()
            || (pane.paneIndex() == current.paneIndex() && !pane.equals(current))) {
          latest.put(pane.key(), pane);
          changed.add(pane);
          panesReceived++;
        }
      }
      if (!changed.isEmpty()) {
        lastUpdate = Instant.now();
      }
    }
    if (!changed.isEmpty()) {
      for (Consumer<List<ServedCandle>> l : listeners) {
        l.accept(changed);
      }
    }
    return changed;
  }

  public void listen(Consumer<List<ServedCandle>> listener) {
    listeners.add(listener);
  }

  public void unlisten(Consumer<List<ServedCandle>> listener) {
    listeners.remove(listener);
  }

  /** Each symbol (sorted) with its timeframes, shortest first. */
  public synchronized Map<String, List<String>> symbols() {
    Map<String, TreeSet<String>> byLength = new TreeMap<>();
    for (ServedCandle c : latest.values()) {
      byLength.computeIfAbsent(c.symbol(), s -> new TreeSet<>(TIMEFRAME_ORDER)).add(c.timeframe());
    }
    Map<String, List<String>> symbols = new TreeMap<>();
    byLength.forEach((s, t) -> symbols.put(s, List.copyOf(t)));
    return symbols;
  }

  /** One symbol's candles of one timeframe with a start in [from, to), oldest first. */
  public synchronized List<ServedCandle> candles(String symbol, String timeframe, long from,
      long to) {
    List<ServedCandle> rows = new ArrayList<>();
    for (ServedCandle c : latest.values()) {
      if (c.symbol().equals(symbol) && c.timeframe().equals(timeframe)
          && c.windowStart() >= from && c.windowStart() < to) {
        rows.add(c);
      }
    }
    rows.sort(Comparator.comparingLong(ServedCandle::windowStart));
    return rows;
  }

  /** Candles held now. */
  public synchronized int size() {
    return latest.size();
  }

  /** Panes that changed a candle since the start. */
  public synchronized long panesReceived() {
    return panesReceived;
  }

  /** When a pane last changed a candle, or null. */
  public synchronized Instant lastUpdate() {
    return lastUpdate;
  }

  /** Timeframe labels by the length they stand for ({@code 1m} before {@code 1h}). */
  static final Comparator<String> TIMEFRAME_ORDER = Comparator.<String>comparingLong(t -> {
    try {
      return Durations.parse("timeframe", t).getMillis();
    } catch (IllegalArgumentException e) {
      return Long.MAX_VALUE;
    }
  }).thenComparing(Comparator.naturalOrder());
}
