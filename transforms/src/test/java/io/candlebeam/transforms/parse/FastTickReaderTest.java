package io.candlebeam.transforms.parse;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;

import io.candlebeam.transforms.model.Tick;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The fast path gives exactly what the full JSON reader gives: on generated records of every shape
 * (fields in any order, whitespace, nulls, unknown fields, numbers of every form, escapes) and on
 * random one-character corruptions of them, the parser's answer (tick, or reason) equals the full
 * reader's, and the fast path does take the ordinary records.
 */
class FastTickReaderTest {
  private final TickParser parser = new TickParser();

  @Test
  void ordinaryRecordsTakeTheFastPathAndGiveTheSameTick() throws Exception {
    String line = "{\"symbol\":\"BTCUSDT\",\"event_time\":1709297848656,\"price\":43592.69,"
        + "\"open\":43250.00,\"high\":44870.17,\"low\":43016.51,\"volume\":3123.0924,"
        + "\"quote_volume\":136143998.8346,\"number_trades\":255465,\"price_change\":342.69,"
        + "\"price_change_percent\":0.792,\"timestamp\":\"2024-03-01T12:57:28.656Z\"}";
    Tick fast = FastTickReader.read(line);
    assertThat(fast, notNullValue());
    assertThat(fast, is(TickParser.parseFully(line)));
    assertThat(fast.quoteVolume(), is(136143998.8346));
  }

  @Test
  void whatItDoesNotTakeIsLeftToTheFullReader() {
    for (String line : List.of(
        "{\"symbol\":\"A\",\"event_time\":1709297848656,\"price\":1e3}", // exponent
        "{\"symbol\":\"A\\u0042\",\"event_time\":1709297848656,\"price\":1}", // escape
        "{\"symbol\":\"A\",\"event_time\":1709297848656,\"price\":1,\"x\":{}}", // nested
        "{\"symbol\":\"A\",\"event_time\":1709297848656,\"price\":0.12345678901234567}",
        "{\"symbol\":\"A\",\"event_time\":1709297848656,\"price\":-1}", // fails a check
        "{\"symbol\":\"A\",\"event_time\":1709297848656,\"price\":01}")) {
      assertThat(line, FastTickReader.read(line), nullValue());
    }
  }

  @Test
  void givesTheFullReadersAnswerOnGeneratedAndCorruptedRecords() {
    Random random = new Random(20241204);
    int fast = 0;
    for (int n = 0; n < 200_000; n++) {
      String generated = record(random, false);
      String line = random.nextInt(3) == 0 ? corrupt(generated, random) : generated;
      String expected = answer(() -> TickParser.parseFully(line));
      String actual = answer(() -> parser.parse(line));
      assertThat(line, actual, is(expected));
      if (FastTickReader.read(line) != null) {
        fast++;
      }
    }
    assertThat("records the fast path took", fast, greaterThan(100));
  }

  /** Records of the forms exchanges send (no exponent, escape or nesting): all on the fast path. */
  @Test
  void takesEveryOrdinaryRecordWithTheFullReadersTick() throws Exception {
    Random random = new Random(7);
    for (int n = 0; n < 20_000; n++) {
      String line = record(random, true);
      Tick fast = FastTickReader.read(line);
      String expected = answer(() -> TickParser.parseFully(line));
      assertThat(line, fast == null ? "not taken, full reader: " + expected : "tick " + fast,
          is(expected.startsWith("tick") ? expected : "not taken, full reader: " + expected));
    }
  }

  private interface Parse {
    Tick parse() throws MalformedRecordException;
  }

  private static String answer(Parse p) {
    try {
      return "tick " + p.parse();
    } catch (MalformedRecordException e) {
      return "rejected: " + e.getMessage();
    }
  }

  private static final String[] NUMBER_FIELDS = {"price", "open", "high", "low", "volume",
      "quote_volume", "price_change", "price_change_percent"};

  /** A generated record; {@code ordinary}: only the forms the fast path takes. */
  static String record(Random r, boolean ordinary) {
    List<String> members = new ArrayList<>();
    if (ordinary || r.nextInt(20) > 0) {
      members.add(member("symbol", ordinary ? "\"BTCUSDT\""
          : r.nextInt(30) == 0 ? "null" : quoted(symbol(r), r)));
    }
    if (ordinary || r.nextInt(20) > 0) {
      members.add(member("event_time", !ordinary && r.nextInt(30) == 0 ? number(r, false)
          : Long.toString(1_600_000_000_000L + (long) (r.nextDouble() * 1e11))));
    }
    for (String field : NUMBER_FIELDS) {
      if (r.nextInt(4) > 0 || field.equals("price")) {
        members.add(member(field, r.nextInt(25) == 0 ? "null" : number(r, ordinary)));
      }
    }
    if (r.nextBoolean()) {
      members.add(member("number_trades", !ordinary && r.nextInt(10) == 0 ? number(r, false)
          : Integer.toString(r.nextInt(1_000_000))));
    }
    if (r.nextBoolean()) {
      members.add(member("timestamp", ordinary ? "\"2024-03-01T12:57:28.656Z\""
          : quoted("2024-03-01T12:57:28.656Z", r)));
    }
    for (int k = r.nextInt(3); k > 0; k--) {
      members.add(member("extra" + k, switch (r.nextInt(ordinary ? 4 : 7)) {
        case 0 -> "true";
        case 1 -> "false";
        case 2 -> "null";
        case 3 -> "\"x y\"";
        case 4 -> "[1,2]";
        case 5 -> "{\"a\":1}";
        default -> number(r, ordinary);
      }));
    }
    if (r.nextInt(10) == 0 && !members.isEmpty()) {
      members.add(members.get(r.nextInt(members.size()))); // a repeated key
    }
    Collections.shuffle(members, r);
    StringBuilder b = new StringBuilder(ws(r)).append('{');
    for (int k = 0; k < members.size(); k++) {
      b.append(k > 0 ? "," + ws(r) : ws(r)).append(members.get(k)).append(ws(r));
    }
    return b.append('}').append(ws(r)).toString();
  }

  private static String member(String name, String value) {
    return "\"" + name + "\":" + value;
  }

  private static String symbol(Random r) {
    String[] symbols = {"BTCUSDT", "ETH-USD", "sol.usdt", "", "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456",
        "../x", "BTC USDT", "ÉTÉ"};
    return symbols[r.nextInt(symbols.length)];
  }

  private static String quoted(String text, Random r) {
    return switch (r.nextInt(12)) {
      case 0 -> "\"" + text + "\\n\"";
      case 1 -> "\"\\u0041" + text + "\"";
      default -> "\"" + text + "\"";
    };
  }

  private static String number(Random r, boolean ordinary) {
    return switch (r.nextInt(ordinary ? 7 : 14)) {
      case 0 -> Integer.toString(r.nextInt(100_000));
      case 1 -> "-" + r.nextInt(1000);
      case 2 -> "0";
      case 3 -> "-0";
      case 4 -> "-0.0";
      case 5 -> String.format(Locale.ROOT, "%.2f", r.nextDouble() * 100_000);
      case 6 -> String.format(Locale.ROOT, "%.8f", r.nextDouble() * 1_000);
      case 7 -> Double.toString(r.nextDouble() * Math.pow(10, r.nextInt(30) - 10));
      case 8 -> new java.math.BigDecimal(r.nextDouble()).toPlainString(); // many digits
      case 9 -> Long.toString(r.nextLong()); // up to 19 digits
      case 10 -> r.nextInt(10) + "." + "0".repeat(r.nextInt(25)) + r.nextInt(10);
      case 11 -> "1e" + (r.nextInt(700) - 350);
      case 12 -> "0" + r.nextInt(10); // leading zero
      default -> "\"" + r.nextInt(100) + "\""; // a string
    };
  }

  private static String ws(Random r) {
    return switch (r.nextInt(8)) {
      case 0 -> " ";
      case 1 -> "\t\r\n ";
      default -> "";
    };
  }

  static String corrupt(String line, Random r) {
    if (line.isEmpty()) {
      return "x";
    }
    int at = r.nextInt(line.length());
    String junk = String.valueOf("{}[]\",:.-+e0123456789 \\tnulx\u00a0".charAt(r.nextInt(27)));
    return switch (r.nextInt(3)) {
      case 0 -> line.substring(0, at) + line.substring(at + 1);
      case 1 -> line.substring(0, at) + junk + line.substring(at);
      default -> line.substring(0, at) + junk + line.substring(at + 1);
    };
  }
}
