package io.candlebeam.pipeline.serve;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The query parameters of an API request, checked: no unknown or repeated parameter, a known
 * symbol and timeframe, times that parse, a range that is not empty. Every problem is a {@link
 * BadRequest} whose message says what to send instead.
 */
final class ApiQuery {
  /** A request the API refuses: 400 (bad parameter) or 404 (no such symbol or timeframe). */
  static final class BadRequest extends RuntimeException {
    private final int status;

    BadRequest(int status, String message) {
      super(message);
      this.status = status;
    }

    int status() {
      return status;
    }
  }

  /** What {@code /api/candles} selects: start times in [from, to), epoch ms. */
  record Selection(String symbol, String timeframe, long from, long to) {}

  private final Map<String, String> params;

  private ApiQuery(Map<String, String> params) {
    this.params = params;
  }

  static ApiQuery of(String rawQuery) {
    Map<String, String> params = new LinkedHashMap<>();
    if (rawQuery != null && !rawQuery.isEmpty()) {
      for (String pair : rawQuery.split("&")) {
        if (pair.isEmpty()) {
          continue;
        }
        int eq = pair.indexOf('=');
        String name = decode(eq < 0 ? pair : pair.substring(0, eq));
        String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
        if (params.put(name, value) != null) {
          throw new BadRequest(400, "parameter '" + name + "' is given twice: give it once");
        }
      }
    }
    return new ApiQuery(params);
  }

  /** Refuses any parameter but {@code names}. */
  ApiQuery allowOnly(String... names) {
    List<String> allowed = List.of(names);
    for (String name : params.keySet()) {
      if (!allowed.contains(name)) {
        throw new BadRequest(400, "unknown parameter '" + name + "': "
            + (allowed.isEmpty() ? "this endpoint takes none" : "this endpoint takes "
            + String.join(", ", allowed)));
      }
    }
    return this;
  }

  /** The selection of {@code /api/candles} among {@code symbols} (symbol → its timeframes). */
  Selection selection(Map<String, List<String>> symbols) {
    String symbol = params.get("symbol");
    if (symbol == null || symbol.isBlank()) {
      throw new BadRequest(400, "symbol is required: "
          + (symbols.isEmpty() ? "no candles yet" : "one of " + String.join(", ", symbols.keySet())));
    }
    List<String> timeframes = symbols.get(symbol);
    if (timeframes == null) {
      throw new BadRequest(404, "unknown symbol '" + symbol + "': "
          + (symbols.isEmpty() ? "no candles yet" : "the candles are of "
          + String.join(", ", symbols.keySet())));
    }
    String timeframe = params.get("timeframe");
    if (timeframe == null || timeframe.isBlank()) {
      if (timeframes.size() > 1) {
        throw new BadRequest(400, "timeframe is required for " + symbol + ": one of "
            + String.join(", ", timeframes));
      }
      timeframe = timeframes.get(0);
    } else if (!timeframes.contains(timeframe)) {
      throw new BadRequest(404, symbol + " has no " + timeframe + " candles: its timeframes are "
          + String.join(", ", timeframes));
    }
    long from = time("from", Long.MIN_VALUE);
    long to = time("to", Long.MAX_VALUE);
    if (from >= to) {
      throw new BadRequest(400, "from=" + params.get("from") + " is not before to="
          + params.get("to") + ": the range [from, to) is empty");
    }
    return new Selection(symbol, timeframe, from, to);
  }

  /** A time parameter: a date (its start, UTC) or an ISO-8601 instant with offset; epoch ms. */
  private long time(String name, long absent) {
    String text = params.get(name);
    if (text == null) {
      return absent;
    }
    try {
      if (text.length() == 10) {
        return LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant().toEpochMilli();
      }
      if (text.endsWith("Z") || text.endsWith("z")) {
        return Instant.parse(text.toUpperCase()).toEpochMilli();
      }
      return OffsetDateTime.parse(text).toInstant().toEpochMilli();
    } catch (DateTimeParseException e) {
      throw new BadRequest(400, name + "=" + text + " is not a time: give an ISO-8601 date or "
          + "instant, e.g. 2024-03-01 or 2024-03-01T12:00:00Z");
    }
  }

  private static String decode(String s) {
    try {
      return URLDecoder.decode(s, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new BadRequest(400, "the query is not URL-encoded: " + s);
    }
  }
}
