package io.candlebeam.transforms.parse;

import io.candlebeam.transforms.model.Tick;

/**
 * The ticker parser's fast path: one pass over the characters of a well-formed ticker object,
 * without a JSON library (creating a Jackson parser per record, its thread-local buffers and its
 * number parsing were most of the job's CPU time). It takes only what it can read exactly as the
 * full reader does, and answers null for everything else, which the full reader then reads (or
 * rejects, with its reason). What it takes:
 *
 * <ul>
 *   <li>one JSON object, whitespace (space, tab, CR, LF) around tokens, nothing after it;
 *   <li>strings without escapes or control characters;
 *   <li>numbers of strict JSON syntax; for a number field, an integer of at most 18 digits (taken
 *       as {@code (double) long}, as Jackson does) or a decimal without exponent whose digits, read
 *       as an integer, are below 2^53, with at most 22 after the point (taken as {@code digits /
 *       10^scale}: both are exact doubles, so the one division is correctly rounded, the value
 *       {@link Double#parseDouble} gives); for an integer field, an integer of at most 18 digits;
 *   <li>{@code null} for any known field; unknown fields with a string, number, boolean or null;
 *   <li>the same checks of the values afterwards ({@code TickFields.build}); a record they reject
 *       is left to the full reader, which gives the reason.
 * </ul>
 */
final class FastTickReader {
  private static final double[] POW10 = new double[23];
  private static final long MAX_EXACT = 1L << 53;

  static {
    double p = 1;
    for (int i = 0; i < POW10.length; i++) {
      POW10[i] = p;
      p *= 10;
    }
  }

  private final String s;
  private int i;

  private FastTickReader(String s) {
    this.s = s;
  }

  /** The tick, or null when the record is not in the fast subset (the full reader decides). */
  static Tick read(String payload) {
    if (payload == null) {
      return null;
    }
    try {
      return new FastTickReader(payload).object();
    } catch (NotFast e) {
      return null;
    }
  }

  /** Thrown (without a stack trace) where the record leaves the fast subset. */
  private static final class NotFast extends Exception {
    static final NotFast INSTANCE = new NotFast();

    private NotFast() {
      super(null, null, false, false);
    }
  }

  private Tick object() throws NotFast {
    TickParser.TickFields f = new TickParser.TickFields();
    skipWhitespace();
    expect('{');
    skipWhitespace();
    if (peek() == '}') {
      i++;
    } else {
      while (true) {
        member(f);
        skipWhitespace();
        char c = next();
        if (c == '}') {
          break;
        }
        if (c != ',') {
          throw NotFast.INSTANCE;
        }
        skipWhitespace();
      }
    }
    skipWhitespace();
    if (i != s.length()) {
      throw NotFast.INSTANCE;
    }
    try {
      return f.build();
    } catch (MalformedRecordException e) {
      throw NotFast.INSTANCE; // the full reader says why
    }
  }

  private void member(TickParser.TickFields f) throws NotFast {
    expect('"');
    int start = i;
    int end = endOfString();
    skipWhitespace();
    expect(':');
    skipWhitespace();
    switch (end - start) {
      case 3 -> {
        if (named(start, "low")) {
          f.low = decimal();
          return;
        }
      }
      case 4 -> {
        if (named(start, "open")) {
          f.open = decimal();
          return;
        }
        if (named(start, "high")) {
          f.high = decimal();
          return;
        }
      }
      case 5 -> {
        if (named(start, "price")) {
          f.price = decimal();
          return;
        }
      }
      case 6 -> {
        if (named(start, "symbol")) {
          f.symbol = string();
          return;
        }
        if (named(start, "volume")) {
          f.volume = decimal();
          return;
        }
      }
      case 9 -> {
        if (named(start, "timestamp")) {
          f.timestamp = string();
          return;
        }
      }
      case 10 -> {
        if (named(start, "event_time")) {
          f.eventTime = integer();
          return;
        }
      }
      case 12 -> {
        if (named(start, "quote_volume")) {
          f.quoteVolume = decimal();
          return;
        }
        if (named(start, "price_change")) {
          f.change = decimal();
          return;
        }
      }
      case 13 -> {
        if (named(start, "number_trades")) {
          f.trades = integer();
          return;
        }
      }
      case 20 -> {
        if (named(start, "price_change_percent")) {
          f.changePercent = decimal();
          return;
        }
      }
      default -> { }
    }
    skipScalar();
  }

  private boolean named(int start, String name) {
    return s.regionMatches(start, name, 0, name.length());
  }

  /** A string's content after its opening quote; i ends after the closing quote. */
  private int endOfString() throws NotFast {
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c == '"') {
        return i++;
      }
      if (c == '\\' || c < 0x20) {
        throw NotFast.INSTANCE;
      }
      i++;
    }
    throw NotFast.INSTANCE;
  }

  private String string() throws NotFast {
    if (literal("null")) {
      return null;
    }
    expect('"');
    int start = i;
    return s.substring(start, endOfString());
  }

  /** An integer field: at most 18 digits, no fraction or exponent. */
  private Long integer() throws NotFast {
    if (literal("null")) {
      return null;
    }
    boolean negative = peek() == '-';
    if (negative) {
      i++;
    }
    long value = digits(18);
    if (i < s.length() && isNumberPart(s.charAt(i))) {
      throw NotFast.INSTANCE; // a fraction or an exponent
    }
    return negative ? -value : value;
  }

  /** A number field, read to the double {@link Double#parseDouble} gives. */
  private Double decimal() throws NotFast {
    if (literal("null")) {
      return null;
    }
    boolean negative = peek() == '-';
    if (negative) {
      i++;
    }
    int intStart = i;
    long unscaled = digits(18);
    int intDigits = i - intStart;
    if (i >= s.length() || s.charAt(i) != '.') {
      if (i < s.length() && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
        throw NotFast.INSTANCE;
      }
      double d = (double) (negative ? -unscaled : unscaled); // an integer token, as Jackson
      return d;
    }
    i++;
    int fracStart = i;
    while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
      i++;
    }
    int scale = i - fracStart;
    if (scale == 0 || scale >= POW10.length || intDigits + scale > 18
        || (i < s.length() && (s.charAt(i) == 'e' || s.charAt(i) == 'E'))) {
      throw NotFast.INSTANCE;
    }
    for (int k = fracStart; k < i; k++) {
      unscaled = unscaled * 10 + (s.charAt(k) - '0');
    }
    if (unscaled >= MAX_EXACT) {
      throw NotFast.INSTANCE;
    }
    double d = unscaled / POW10[scale];
    return negative ? -d : d;
  }

  /** One or more digits without a leading zero (a lone 0 is fine), at most {@code max}. */
  private long digits(int max) throws NotFast {
    int start = i;
    long value = 0;
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c < '0' || c > '9') {
        break;
      }
      value = value * 10 + (c - '0');
      i++;
    }
    int n = i - start;
    if (n == 0 || n > max || (n > 1 && s.charAt(start) == '0')) {
      throw NotFast.INSTANCE;
    }
    return value;
  }

  /** Skips an unknown field's value: a string, a number, true, false or null; else not fast. */
  private void skipScalar() throws NotFast {
    char c = peek();
    if (c == '"') {
      i++;
      endOfString();
    } else if (c == '-' || (c >= '0' && c <= '9')) {
      skipNumber();
    } else if (!literal("true") && !literal("false") && !literal("null")) {
      throw NotFast.INSTANCE;
    }
  }

  /** A number of strict JSON syntax: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? */
  private void skipNumber() throws NotFast {
    if (peek() == '-') {
      i++;
    }
    int start = i;
    while (i < s.length() && Character.isDigit(s.charAt(i)) && s.charAt(i) < 0x80) {
      i++;
    }
    if (i == start || (i - start > 1 && s.charAt(start) == '0')) {
      throw NotFast.INSTANCE;
    }
    if (i < s.length() && s.charAt(i) == '.') {
      i++;
      requireDigits();
    }
    if (i < s.length() && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
      i++;
      if (i < s.length() && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
        i++;
      }
      requireDigits();
    }
  }

  private void requireDigits() throws NotFast {
    int start = i;
    while (i < s.length() && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
      i++;
    }
    if (i == start) {
      throw NotFast.INSTANCE;
    }
  }

  /** Whether a literal ({@code null}, {@code true}, {@code false}) is next, as a whole token. */
  private boolean literal(String word) {
    if (s.startsWith(word, i)) {
      int after = i + word.length();
      if (after == s.length() || !Character.isLetterOrDigit(s.charAt(after))) {
        i = after;
        return true;
      }
    }
    return false;
  }

  private static boolean isNumberPart(char c) {
    return c == '.' || c == 'e' || c == 'E' || (c >= '0' && c <= '9');
  }

  private void skipWhitespace() {
    while (i < s.length()) {
      char c = s.charAt(i);
      if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
        return;
      }
      i++;
    }
  }

  private char peek() throws NotFast {
    if (i >= s.length()) {
      throw NotFast.INSTANCE;
    }
    return s.charAt(i);
  }

  private char next() throws NotFast {
    char c = peek();
    i++;
    return c;
  }

  private void expect(char c) throws NotFast {
    if (next() != c) {
      throw NotFast.INSTANCE;
    }
  }
}
