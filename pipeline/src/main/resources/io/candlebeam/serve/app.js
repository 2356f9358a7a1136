// The live candle page: a candlestick and volume chart of one symbol and timeframe, filled from
// /api/candles and kept current by the /api/stream events (a pane that changes a candle updates
// its bar in place: EARLY -> ON_TIME -> LATE).
(function () {
  'use strict';
  const LC = window.LightweightCharts;
  const UP = '#26a69a', DOWN = '#ef5350';
  const el = (id) => document.getElementById(id);
  const chartEl = el('chart');
  const chart = LC.createChart(chartEl, {
    autoSize: true,
    layout: { background: { color: '#131722' }, textColor: '#d1d4dc' },
    grid: { vertLines: { color: '#1e222d' }, horzLines: { color: '#1e222d' } },
    timeScale: { timeVisible: true, secondsVisible: false, borderColor: '#2a2e39' },
    rightPriceScale: { borderColor: '#2a2e39' },
  });
  const candles = chart.addSeries(LC.CandlestickSeries, {
    upColor: UP, downColor: DOWN, borderVisible: false, wickUpColor: UP, wickDownColor: DOWN,
  });
  candles.priceScale().applyOptions({ scaleMargins: { top: 0.08, bottom: 0.28 } });
  const volume = chart.addSeries(LC.HistogramSeries, {
    priceFormat: { type: 'volume' }, priceScaleId: 'volume', lastValueVisible: false,
  });
  volume.priceScale().applyOptions({ scaleMargins: { top: 0.78, bottom: 0 } });

  // during: panes that arrived while candles were being loaded, applied after the load (the load
  // may have been answered before them).
  const state = { symbol: null, timeframe: null, byTime: new Map(), symbols: {}, during: null };
  const params = new URLSearchParams(location.search);

  // A candle of the API as the chart's bar; a ticker window without open/high/low falls back to
  // its close, so the bar still shows.
  function bar(c) {
    const close = Number(c.close);
    const open = c.open == null ? close : Number(c.open);
    const high = c.high == null ? Math.max(open, close) : Number(c.high);
    const low = c.low == null ? Math.min(open, close) : Number(c.low);
    return { time: Date.parse(c.window_start) / 1000, open, high, low, close };
  }
  function volumeBar(c, b) {
    return { time: b.time, value: c.volume == null ? 0 : Number(c.volume),
      color: b.close >= b.open ? 'rgba(38,166,154,0.5)' : 'rgba(239,83,80,0.5)' };
  }

  function redraw() {
    const all = [...state.byTime.values()].sort((a, b) => a.bar.time - b.bar.time);
    candles.setData(all.map((x) => x.bar));
    volume.setData(all.map((x) => volumeBar(x.candle, x.bar)));
    chartEl.dataset.bars = String(all.length);
  }

  // One pane that changed a candle of the shown symbol and timeframe: the bar is updated in place
  // (or appended when it is the newest), else the series is drawn again in order.
  function apply(c) {
    const b = bar(c);
    const times = [...state.byTime.keys()];
    const last = times.length ? Math.max(...times) : -Infinity;
    const known = state.byTime.has(b.time);
    state.byTime.set(b.time, { candle: c, bar: b });
    if (b.time >= last) {
      candles.update(b);
      volume.update(volumeBar(c, b));
    } else if (known) {
      candles.update(b, true);
      volume.update(volumeBar(c, b), true);
    } else {
      redraw();
      return;
    }
    chartEl.dataset.bars = String(state.byTime.size);
  }

  function legend(c) {
    if (!c) { el('legend').textContent = ''; return; }
    const dir = Number(c.close) >= Number(c.open ?? c.close) ? 'up' : 'down';
    const v = (name, x) => `<b>${name}</b> <span class="${dir}">${x == null ? '–' : x}</span>`;
    el('legend').innerHTML = `${c.window_start.replace('T', ' ').replace(':00Z', 'Z')}`
      + v('O', c.open) + v('H', c.high) + v('L', c.low) + v('C', c.close) + v('V', c.volume)
      + `<span class="pane ${c.pane_timing}" id="pane">${c.pane_timing}#${c.pane_index}`
      + `${c.is_final ? ' final' : ''}</span>`;
  }
  function latest() {
    let newest = null;
    for (const x of state.byTime.values()) {
      if (!newest || x.bar.time > newest.bar.time) newest = x;
    }
    return newest && newest.candle;
  }
  chart.subscribeCrosshairMove((p) => {
    const x = p && p.time != null ? state.byTime.get(p.time) : null;
    legend(x ? x.candle : latest());
  });

  async function getJson(url) {
    const r = await fetch(url);
    const body = await r.json();
    if (!r.ok) throw new Error(body.error || r.statusText);
    return body;
  }

  function fillSelect(select, values, chosen) {
    const now = [...select.options].map((o) => o.value).join('|');
    if (now !== values.join('|')) {
      select.innerHTML = '';
      for (const v of values) select.add(new Option(v, v));
    }
    select.value = chosen;
  }

  async function loadSymbols() {
    const body = await getJson('api/symbols');
    state.symbols = Object.fromEntries(body.symbols.map((s) => [s.symbol, s.timeframes]));
    const names = Object.keys(state.symbols);
    if (!names.length) return;
    if (!state.symbol || !state.symbols[state.symbol]) {
      state.symbol = names.includes(params.get('symbol')) ? params.get('symbol') : names[0];
    }
    const tfs = state.symbols[state.symbol];
    if (!state.timeframe || !tfs.includes(state.timeframe)) {
      state.timeframe = tfs.includes(params.get('timeframe')) ? params.get('timeframe') : tfs[0];
    }
    fillSelect(el('symbol'), names, state.symbol);
    fillSelect(el('timeframe'), tfs, state.timeframe);
    showTimes();
  }

  // Hours and minutes on the time axis for bars shorter than a day.
  function showTimes() {
    chart.applyOptions({ timeScale: { timeVisible: !/^\d+d$/.test(state.timeframe) } });
  }

  async function loadCandles() {
    if (!state.symbol) return;
    const q = new URLSearchParams({ symbol: state.symbol, timeframe: state.timeframe });
    state.during = [];
    let body;
    try {
      body = await getJson('api/candles?' + q);
    } catch (e) {
      state.during = null;
      throw e;
    }
    const during = state.during;
    state.during = null;
    state.byTime = new Map(body.candles.map((c) => [bar(c).time, { candle: c, bar: bar(c) }]));
    for (const c of during) {
      const known = state.byTime.get(bar(c).time);
      if (shown(c) && (!known || c.pane_index >= known.candle.pane_index)) {
        state.byTime.set(bar(c).time, { candle: c, bar: bar(c) });
      }
    }
    redraw();
    chart.timeScale().fitContent();
    legend(latest());
    history.replaceState(null, '', '?' + q);
  }

  // Symbols, then the shown candles; a reload asked for while one runs runs once more after it.
  let reloading = null;
  let again = false;
  function reload() {
    if (reloading) {
      again = true;
      return reloading;
    }
    reloading = (async () => {
      do {
        again = false;
        try {
          await loadSymbols();
          await loadCandles();
        } catch (e) {
          el('status').textContent = 'cannot load candles: ' + e.message;
        }
      } while (again);
      reloading = null;
    })();
    return reloading;
  }

  function showStatus(s) {
    const parts = [];
    parts.push(s.last_update ? 'last update ' + s.last_update.replace('T', ' ').replace(/\.\d+Z$/, 'Z')
      : 'no candles yet');
    parts.push(`${s.panes_received} panes received`);
    parts.push(`${s.candles} candles`);
    const r = s.report;
    if (r) {
      parts.push(`${r.dead_letters} dead letters`, `${r.too_late} too late`,
        `${r.records_read} records read`);
    } else {
      parts.push('no run report');
    }
    if (s.error) parts.push('read error: ' + s.error);
    parts.push('from ' + s.source);
    el('status').textContent = parts.join(' · ');
    el('status').dataset.panes = String(s.panes_received);
  }

  function connection(text, cls) {
    el('connection').textContent = text;
    el('connection').className = 'connection ' + cls;
  }

  function shown(c) {
    return c.symbol === state.symbol && c.timeframe === state.timeframe;
  }

  // Listens first, then loads on every (re)connection: nothing written in between is missed.
  function listen() {
    const events = new EventSource('api/stream');
    events.onopen = () => {
      connection('live', 'live');
      reload();
    };
    events.onerror = () => connection('reconnecting', 'down');
    events.addEventListener('status', (e) => showStatus(JSON.parse(e.data)));
    events.addEventListener('reset', () => reload());
    events.addEventListener('candle', (e) => {
      const c = JSON.parse(e.data);
      if (state.during) {
        state.during.push(c);
      } else if (!state.symbols[c.symbol] || !state.symbols[c.symbol].includes(c.timeframe)) {
        reload(); // a symbol or timeframe the pickers do not know yet
      } else if (shown(c)) {
        apply(c);
        legend(latest());
      }
    });
  }

  el('symbol').addEventListener('change', (e) => {
    state.symbol = e.target.value;
    const tfs = state.symbols[state.symbol];
    if (!tfs.includes(state.timeframe)) state.timeframe = tfs[0];
    fillSelect(el('timeframe'), tfs, state.timeframe);
    showTimes();
    loadCandles();
  });
  el('timeframe').addEventListener('change', (e) => {
    state.timeframe = e.target.value;
    showTimes();
    loadCandles();
  });

  // For tests and the console: what the chart holds now.
  window.candlebeam = {
    bars: () => candles.data().map((b) => ({ ...b, pane: (state.byTime.get(b.time) || {}).candle })),
    shown: () => ({ symbol: state.symbol, timeframe: state.timeframe }),
    chart,
  };

  listen();
})();
