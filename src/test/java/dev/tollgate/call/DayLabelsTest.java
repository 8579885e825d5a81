package dev.tollgate.call;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The kept day and hour labels are right on both sides of midnight and the hour, before 1970, and
 * when days alternate.
 */
class DayLabelsTest {
  @ParameterizedTest
  @ValueSource(
      strings = {
        "2026-12-07T23:59:59.999Z",
        "2026-12-08T00:00:00Z",
        "2026-12-07T00:00:00Z",
        "1969-12-31T23:59:59Z",
        "1970-01-01T00:00:00Z",
        "2026-12-08T00:00:00Z",
        "2024-02-29T12:00:00Z"
      })
  void isTheUtcDateOfTheInstant(String at) {
    Instant i = Instant.parse(at);
    String expected = i.atOffset(ZoneOffset.UTC).toLocalDate().toString();
    assertThat(DayLabels.of(i.getEpochSecond())).isEqualTo(expected);
    assertThat(DayLabels.of(i.getEpochSecond())).isEqualTo(expected); // the kept one
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "2026-12-07T23:59:59.999Z",
        "2026-12-08T00:00:00Z",
        "2026-12-08T09:30:00Z",
        "2026-12-08T10:00:00Z",
        "1969-12-31T23:59:59Z",
        "1970-01-01T00:00:00Z",
        "2024-02-29T12:00:00Z"
      })
  void isTheUtcHourOfTheInstant(String at) {
    Instant i = Instant.parse(at);
    String expected =
        i.atOffset(ZoneOffset.UTC)
            .truncatedTo(java.time.temporal.ChronoUnit.HOURS)
            .format(java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:00'Z'"));
    assertThat(DayLabels.hour(i.getEpochSecond())).isEqualTo(expected);
    assertThat(DayLabels.hour(i.getEpochSecond())).isEqualTo(expected); // the kept one
  }
}
