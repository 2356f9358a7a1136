package io.candlebeam.transforms.parse;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The event-time scan gives exactly what Jackson gives ({@link JsonValues#timeOfByJackson}): on
 * the ticker parser's generated records of every shape and their one-character corruptions, for
 * the event time and for other fields, and it does read the ordinary records itself.
 */
class FastTimeScanTest {
  private static final List<String> FIELDS =
      List.of("event_time", "number_trades", "price", "symbol", "missing");

  @Test
  void givesJacksonsAnswerOnGeneratedAndCorruptedRecords() {
    Random random = new Random(20261204);
    int sure = 0;
    for (int n = 0; n < 200_000; n++) {
      String generated = FastTickReaderTest.record(random, false);
      String line = random.nextInt(3) == 0 ? FastTickReaderTest.corrupt(generated, random)
          : generated;
      byte[] bytes = line.getBytes(UTF_8);
      String field = FIELDS.get(random.nextInt(FIELDS.size()));
      assertThat(field + " of " + line, JsonValues.timeOf(bytes, field),
          is(JsonValues.timeOfByJackson(bytes, field)));
      if (FastTimeScan.find(bytes, field) != FastTimeScan.UNSURE) {
        sure++;
      }
    }
    assertThat("records the scan read itself", sure, greaterThan(50_000));
  }

  @Test
  void readsEveryOrdinaryRecordItself() {
    Random random = new Random(11);
    for (int n = 0; n < 20_000; n++) {
      byte[] bytes = FastTickReaderTest.record(random, true).getBytes(UTF_8);
      long found = FastTimeScan.find(bytes, "event_time");
      assertThat(new String(bytes, UTF_8), found, not(is(FastTimeScan.UNSURE)));
      assertThat(found, is(JsonValues.timeOfByJackson(bytes, "event_time")));
    }
  }

  @Test
  void leavesToJacksonWhatItDoesNotRead() {
    for (String line : List.of(
        "{\"a\":{\"b\":1},\"event_time\":1709297848656}", // nested before the field
        "{\"a\":[1],\"event_time\":1709297848656}",
        "{\"s\":\"\\\"\",\"event_time\":1709297848656}", // an escape before the field
        "{\"s\":\"É\",\"event_time\":1709297848656}", // non-ASCII
        "{\"event_time\":01709297848656}", // a leading zero
        "{\"event_time\":-1709297848656}",
        "{\"event_time\":1709297848656.0}",
        "{\"event_time\":1709297848656x}",
        "{\"event_time\":\"1709297848656\"}",
        "{\"event_time\":1234567890123456789}", // 19 digits
        "\uFEFF{\"event_time\":1709297848656}", // a byte order mark
        "{\"x\":01,\"event_time\":1709297848656}",
        "{\"x\":nul,\"event_time\":1709297848656}",
        "[\"event_time\",1709297848656]")) {
      byte[] bytes = line.getBytes(UTF_8);
      assertThat(line, FastTimeScan.find(bytes, "event_time"), is(FastTimeScan.UNSURE));
      assertThat(line, JsonValues.timeOf(bytes, "event_time"),
          is(JsonValues.timeOfByJackson(bytes, "event_time")));
    }
  }

  @Test
  void takesTheFirstOccurrenceAndIgnoresWhatFollowsLikeJackson() {
    byte[] twice = "{\"event_time\":1709297848656,\"event_time\":1709297848657}".getBytes(UTF_8);
    assertThat(FastTimeScan.find(twice, "event_time"), is(1709297848656L));
    byte[] junkAfter = "{\"event_time\":1709297848656, garbage".getBytes(UTF_8);
    assertThat(FastTimeScan.find(junkAfter, "event_time"), is(1709297848656L));
    assertThat(JsonValues.timeOfByJackson(junkAfter, "event_time"), is(1709297848656L));
    byte[] none = "{ \"a\" : true , \"b\" : -0.5e+3 }".getBytes(UTF_8);
    assertThat(FastTimeScan.find(none, "event_time"), is(FastTimeScan.ABSENT));
    assertThat(JsonValues.timeOf(none, "event_time"), is((Long) null));
  }
}
