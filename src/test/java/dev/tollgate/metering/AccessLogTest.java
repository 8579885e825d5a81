package dev.tollgate.metering;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AccessLogTest {
  @ParameterizedTest
  @ValueSource(
      longs = {
        0,
        1,
        499,
        500,
        999,
        1_000,
        9_999,
        10_000,
        123_456,
        999_999,
        1_000_000,
        1_000_499,
        12_345_678,
        999_999_999,
        60_000_000_000L,
        -1,
        -1_500,
        -2_000_000,
        -12_345_678
      })
  void millisMatchesTheFormattedValue(long nanos) {
    String expected = String.format(Locale.ROOT, "%.3f", Math.round(nanos / 1_000.0) / 1_000.0);
    assertThat(AccessLog.millis(nanos)).isEqualTo(expected.equals("-0.000") ? "0.000" : expected);
  }
}
