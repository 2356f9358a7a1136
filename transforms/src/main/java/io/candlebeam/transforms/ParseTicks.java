package io.candlebeam.transforms;

import io.candlebeam.transforms.model.Tick;
import io.candlebeam.transforms.model.TickCoder;
import io.candlebeam.transforms.parse.ParseRecords;
import io.candlebeam.transforms.parse.TickParser;
import org.joda.time.Instant;

/**
 * Parses tick JSON and stamps each tick with its {@code event_time}: the "parse" stage.
 *
 * <p>A stage of the reference (staged) form of the candle job; the job runs these stages fused
 * in {@link ParseAndCalculateCandles}, which is tested against them.
 */
public final class ParseTicks {
  public static final String STEP = "parse-tick";
  /** The tick parser (stateless, thread-safe). */
  public static final TickParser PARSER = new TickParser();

  private ParseTicks() {}

  /** Ticks out, dead letters (raw payload, origin, reason) in the failures output. */
  public static ParseRecords<Tick> fromJson() {
    return ParseRecords.with(PARSER, TickCoder.of(), STEP)
        .withEventTime(ParseTicks::eventTime);
  }

  /** A tick's event time: its {@code event_time}. */
  public static Instant eventTime(Tick tick) {
    return new Instant(tick.eventTime());
  }
}
