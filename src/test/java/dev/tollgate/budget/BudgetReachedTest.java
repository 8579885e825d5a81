package dev.tollgate.budget;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.call.Money;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A threshold is reached exactly, across the whole range of limits and percentages allowed. */
class BudgetReachedTest {
  @ParameterizedTest(name = "${1} spent of ${0}, {2} %: {3}")
  @CsvSource({
    // limit USD, spent USD, percent, reached
    "0.002,        0.001,          50,   true",
    "0.002,        0.000999999999, 50,   false",
    "1000000,      0,              50,   false", // 50 x 10^18 pico-dollars passes a long
    "1000000,      499999.99,      50,   false",
    "1000000,      500000,         50,   true",
    "4000000,      0,              1000, false",
    "4000000,      3999999,        100,  false",
    "4000000,      4000000,        100,  true",
    "4000000,      4000000,        1000, false",
    "92233.72,     92233.72,       100,  true", // spent x 100 past a long as well
    "184467.5,     92233.75,       50,   true",
    "184467.5,     92233.74,       50,   false",
  })
  void aThresholdIsReachedExactly(
      BigDecimal limit, BigDecimal spent, int percent, boolean reached) {
    Budget b =
        new Budget(
            "b",
            Scope.parse("team:a"),
            Money.toPico(limit),
            Period.calendar("month", java.time.ZoneOffset.UTC),
            true,
            List.of(percent),
            false);
    assertThat(b.reached(Money.toPico(spent), percent)).isEqualTo(reached);
  }
}
