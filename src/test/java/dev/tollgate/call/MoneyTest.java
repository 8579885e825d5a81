package dev.tollgate.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MoneyTest {
  /** What toPico computed before its long-arithmetic path: the reference it must still equal. */
  private static long reference(BigDecimal usd) {
    return usd.setScale(12, RoundingMode.HALF_EVEN).unscaledValue().longValueExact();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "0",
        "0.000000000000",
        "0E+3",
        "0.0015",
        "-0.0015",
        "0.000000000001",
        "0.0000000000005", // 13 places: rounds half-even, to 0
        "0.0000000000015", // to 2
        "1E+3",
        "9223372.036854775807",
        "-9223372.036854775808",
        "1234567.89012345678", // 18 digits: the long path's limit
        "0.12345678901234567890123" // beyond 18 digits: the general path
      })
  void picosEqualTheRescaledValue(String usd) {
    assertThat(Money.toPico(new BigDecimal(usd))).isEqualTo(reference(new BigDecimal(usd)));
  }

  @Test
  void tooLargeForPicosThrowsAsBefore() {
    assertThatThrownBy(() -> Money.toPico(new BigDecimal("9223372.036854775808")))
        .isInstanceOf(ArithmeticException.class);
    assertThatThrownBy(() -> Money.toPico(new BigDecimal("10000000")))
        .isInstanceOf(ArithmeticException.class);
  }

  @Test
  void randomCatalogShapedValuesMatchTheReference() {
    Random r = new Random(31);
    for (int i = 0; i < 100_000; i++) {
      BigDecimal usd = BigDecimal.valueOf(r.nextLong() % 1_000_000_000_000L, r.nextInt(16));
      long expected;
      try {
        expected = reference(usd);
      } catch (ArithmeticException tooLarge) {
        assertThatThrownBy(() -> Money.toPico(usd)).isInstanceOf(ArithmeticException.class);
        continue;
      }
      assertThat(Money.toPico(usd)).as("%s", usd).isEqualTo(expected);
    }
  }

  @Test
  void plusGivesAddsValueAndScale() {
    BigDecimal a = new BigDecimal("0.00150");
    for (BigDecimal b :
        new BigDecimal[] {BigDecimal.ZERO, new BigDecimal("0.000"), new BigDecimal("2E+1"), a}) {
      BigDecimal sum = Money.plus(a, b);
      assertThat(sum).isEqualTo(a.add(b)); // equals: value and scale
      assertThat(Money.plus(b, a)).isEqualTo(b.add(a));
    }
    assertThat(Money.plus(new BigDecimal("1E+3"), BigDecimal.ZERO))
        .isEqualTo(new BigDecimal("1E+3").add(BigDecimal.ZERO));
  }
}
