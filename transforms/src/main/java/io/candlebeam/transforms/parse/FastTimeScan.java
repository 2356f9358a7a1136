package io.candlebeam.transforms.parse;

/**
 * The fast path of {@link JsonValues#timeOf}: finds one top-level integer field in a JSON
 * object's UTF-8 bytes without a JSON library (a Jackson parser per record, in the Kafka reader
 * that computes the watermark, cost more than the rest of the read). Like {@code timeOf} it stops
 * at the first occurrence of the field and does not look at what follows it. It reads only what
 * it can read exactly as Jackson does and answers {@link #UNSURE} for everything else, which
 * Jackson then reads:
 *
 * <ul>
 *   <li>ASCII only, whitespace (space, tab, CR, LF) around tokens;
 *   <li>names and string values without escapes or control characters;
 *   <li>before the field: numbers of strict JSON syntax, {@code true}, {@code false}, {@code
 *       null}; no nested objects or arrays;
 *   <li>the field's value: an integer of 1 to 18 digits without sign or leading zero, followed by
 *       whitespace, a comma or the closing brace.
 * </ul>
 */
final class FastTimeScan {
  /** Not in the fast subset: the caller asks Jackson. */
  static final long UNSURE = Long.MIN_VALUE;
  /** The object has no such field (read to its closing brace). */
  static final long ABSENT = Long.MIN_VALUE + 1;

  private final byte[] b;
  private int i;

  private FastTimeScan(byte[] b) {
    this.b = b;
  }

  /** The value of the (ASCII) field, {@link #ABSENT}, or {@link #UNSURE}. */
  static long find(byte[] json, String field) {
    return new FastTimeScan(json).scan(field);
  }

  private long scan(String field) {
    skipWhitespace();
    if (!take('{')) {
      return UNSURE;
    }
    skipWhitespace();
    if (take('}')) {
      return ABSENT;
    }
    while (true) {
      if (!take('"')) {
        return UNSURE;
      }
      int start = i;
      if (!skipStringBody()) {
        return UNSURE;
      }
      boolean match = equalsField(start, i - 1, field);
      skipWhitespace();
      if (!take(':')) {
        return UNSURE;
      }
      skipWhitespace();
      if (match) {
        return integer();
      }
      if (!skipValue()) {
        return UNSURE;
      }
      skipWhitespace();
      if (take('}')) {
        return ABSENT;
      }
      if (!take(',')) {
        return UNSURE;
      }
      skipWhitespace();
    }
  }

  /** After an opening quote: to just past the closing one; false on an escape or non-ASCII. */
  private boolean skipStringBody() {
    while (i < b.length) {
      byte c = b[i++];
      if (c == '"') {
        return true;
      }
      if (c == '\\' || c < 0x20) { // c < 0 too: a non-ASCII byte
        return false;
      }
    }
    return false;
  }

  private boolean equalsField(int from, int to, String field) {
    if (to - from != field.length()) {
      return false;
    }
    for (int k = 0; k < field.length(); k++) {
      if (b[from + k] != field.charAt(k)) {
        return false;
      }
    }
    return true;
  }

  /** 1-18 digits, no leading zero, then a delimiter; else {@link #UNSURE}. */
  private long integer() {
    int start = i;
    long v = 0;
    while (i < b.length && b[i] >= '0' && b[i] <= '9') {
      v = v * 10 + (b[i++] - '0');
    }
    int digits = i - start;
    if (digits == 0 || digits > 18 || b[start] == '0' || !delimiterOrEnd()) {
      return UNSURE;
    }
    return v;
  }

  private boolean delimiterOrEnd() {
    if (i >= b.length) {
      return false; // Jackson would report the unclosed object first: let it
    }
    byte c = b[i];
    return c == ',' || c == '}' || c == ' ' || c == '\t' || c == '\r' || c == '\n';
  }

  private boolean skipValue() {
    if (i >= b.length) {
      return false;
    }
    byte c = b[i];
    if (c == '"') {
      i++;
      return skipStringBody();
    }
    if (c == '-' || (c >= '0' && c <= '9')) {
      return skipNumber();
    }
    return literal("true") || literal("false") || literal("null");
  }

  /** A JSON number: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?, then a delimiter. */
  private boolean skipNumber() {
    take('-');
    if (take('0')) {
      // no more integer digits after a leading zero
    } else if (digits() == 0) {
      return false;
    }
    if (take('.') && digits() == 0) {
      return false;
    }
    if (take('e') || take('E')) {
      if (!take('+')) {
        take('-');
      }
      if (digits() == 0) {
        return false;
      }
    }
    return delimiterOrEnd();
  }

  private int digits() {
    int start = i;
    while (i < b.length && b[i] >= '0' && b[i] <= '9') {
      i++;
    }
    return i - start;
  }

  private boolean literal(String word) {
    int n = word.length();
    if (i + n > b.length) {
      return false;
    }
    for (int k = 0; k < n; k++) {
      if (b[i + k] != word.charAt(k)) {
        return false;
      }
    }
    i += n;
    if (delimiterOrEnd()) {
      return true;
    }
    i -= n; // a word that only begins like the literal: the next literal is tried from here
    return false;
  }

  private boolean take(char c) {
    if (i < b.length && b[i] == c) {
      i++;
      return true;
    }
    return false;
  }

  private void skipWhitespace() {
    while (i < b.length) {
      byte c = b[i];
      if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
        return;
      }
      i++;
    }
  }
}
