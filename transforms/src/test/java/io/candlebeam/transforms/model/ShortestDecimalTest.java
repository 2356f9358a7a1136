package io.candlebeam.transforms.model;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import java.math.BigDecimal;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** {@link ShortestDecimal#of} has the value of {@link BigDecimal#valueOf(double)}, always. */
class ShortestDecimalTest {
  @Test
  void agreesWithBigDecimalValueOfOnValuesOfEveryKind() {
    Random r = new Random(11);
    for (int k = 0; k < 2_000_000; k++) {
      double d = switch (k % 5) {
        case 0 -> parsed(r.nextLong() % 1_000_000_000_000_000L, r.nextInt(20)); // short decimals
        case 1 -> parsed(r.nextInt(100_000_000), r.nextInt(9)); // prices, volumes
        case 2 -> r.nextDouble() * Math.pow(10, r.nextInt(24) - 8); // 17-digit doubles
        case 3 -> Double.longBitsToDouble(r.nextLong()); // any bit pattern
        default -> 0.1 * r.nextInt(1000) + 0.2 * r.nextInt(1000); // sums with rounding error
      };
      if (Double.isFinite(d)) {
        assertThat(Double.toString(d), ShortestDecimal.of(d).compareTo(BigDecimal.valueOf(d)), is(0));
      }
    }
  }

  @Test
  void edgesOfTheFastRangeAndSigns() {
    for (double d : new double[] {0.0, -0.0, 1e-6, 9.99999e-7, 1e15, 999999999999999.9, -43250.12,
        0.1 + 0.2, 4503599627370496.5, Double.MIN_VALUE, Double.MAX_VALUE}) {
      assertThat(Double.toString(d), ShortestDecimal.of(d).compareTo(BigDecimal.valueOf(d)), is(0));
    }
    assertThat(ShortestDecimal.of(43250.12).toPlainString(), is("43250.12"));
  }

  private static double parsed(long unscaled, int scale) {
    return Double.parseDouble(BigDecimal.valueOf(unscaled, scale).toString());
  }
}
