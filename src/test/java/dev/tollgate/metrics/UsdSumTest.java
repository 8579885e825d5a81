package dev.tollgate.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class UsdSumTest {
  @Test
  void aCounterPastNineMillionDollarsNeitherWrapsNorLosesAPicoDollar() {
    UsdSum sum = new UsdSum();
    for (int i = 0; i < 3; i++) {
      sum.add(5_000_000_000_000_000_000L); // $5M
    }
    sum.add(137_500); // $0.0000001375: a real per-token price
    assertThat(sum.usd()).isEqualByComparingTo("15000000.0000001375");
  }

  @Test
  void picoDollarsCarryIntoWholeDollars() {
    UsdSum sum = new UsdSum();
    sum.add(999_999_999_999L);
    sum.add(2L);
    assertThat(sum.usd()).isEqualByComparingTo("1.000000000001");
  }
}
