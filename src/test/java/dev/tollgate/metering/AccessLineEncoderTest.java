package dev.tollgate.metering;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AccessLineEncoderTest {
  private static final String PATTERN =
      "%d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX,UTC} %-5level %logger{20} %msg%n";

  /** The access line must read exactly as the pattern it replaces wrote it. */
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "2026-12-07T15:00:00Z | INFO | id=01A method=POST path=/v1/chat/completions status=200",
        "2026-12-07T15:00:00.007Z | INFO | id=01B path=/v1/models total_ms=0.120",
        "2026-12-07T23:59:59.999Z | WARN | 12 access-log lines dropped: the log could not keep up",
        "2026-12-08T00:00:00.050Z | INFO | model=gpt-4o-mini team=café path=/v1/é/{}",
        "1999-01-01T00:00:00.100Z | INFO | model=模型 status=200",
        "2026-12-07T15:00:01.010Z | INFO | ''"
      })
  void writesWhatThePatternWrote(String at, String level, String message) {
    LoggerContext context = new LoggerContext();
    PatternLayoutEncoder pattern = new PatternLayoutEncoder();
    pattern.setContext(context);
    pattern.setPattern(PATTERN);
    pattern.start();
    AccessLineEncoder encoder = new AccessLineEncoder();
    encoder.setContext(context);
    encoder.start();

    // Twice each: the second within the same second reuses the formatted second.
    for (int i = 0; i < 2; i++) {
      LoggingEvent event = new LoggingEvent();
      event.setLoggerName("tollgate.access");
      event.setLevel(Level.toLevel(level));
      event.setMessage(message);
      event.setTimeStamp(Instant.parse(at).toEpochMilli());
      assertThat(new String(encoder.encode(event), StandardCharsets.UTF_8))
          .isEqualTo(new String(pattern.encode(event), StandardCharsets.UTF_8));
    }
  }
}
