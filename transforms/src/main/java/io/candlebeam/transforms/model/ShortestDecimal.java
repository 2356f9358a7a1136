package io.candlebeam.transforms.model;

import java.math.BigDecimal;

/**
 * The decimal a double stands for, as {@link BigDecimal#valueOf(double)} gives it (the shortest
 * decimal that reads back as the double), without formatting the double: the exact sums of the
 * candles take one per value, and {@code Double.toString} with its thread-local buffer was a fifth
 * of the Spark job's CPU time (executor threads hold many thread-locals, so each look-up is slow).
 *
 * <p>For a magnitude in [1e-6, 1e15) the digits are found by trying scales 0, 1, 2, ...: at scale
 * s, u = round(|d| × 10^s) is the only candidate, and u / 10^s equals d exactly when u·10^-s reads
 * back as d (both operands are exact doubles while u &lt; 2^53, so the division is correctly
 * rounded, as parsing is). The first scale that reads back gives the fewest digits. Anything else
 * goes to {@link BigDecimal#valueOf(double)}. {@code ShortestDecimalTest} checks the two agree on
 * millions of values of every kind.
 */
public final class ShortestDecimal {
  private static final double[] POW10 = new double[18];
  private static final double TWO_TO_53 = 9007199254740992.0;

  static {
    double p = 1;
    for (int i = 0; i < POW10.length; i++) {
      POW10[i] = p;
      p *= 10;
    }
  }

  private ShortestDecimal() {}

  /** The same value as {@code BigDecimal.valueOf(d)}, for a finite {@code d}. */
  public static BigDecimal of(double d) {
    double a = Math.abs(d);
    if (a >= 1e-6 && a < 1e15) {
      for (int s = 0; s < POW10.length; s++) {
        double scaled = a * POW10[s];
        if (scaled >= TWO_TO_53) {
          break;
        }
        long u = Math.round(scaled);
        if (u / POW10[s] == a) {
          return BigDecimal.valueOf(d < 0 ? -u : u, s);
        }
      }
    }
    return BigDecimal.valueOf(d);
  }
}
