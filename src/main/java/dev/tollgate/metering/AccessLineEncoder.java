package dev.tollgate.metering;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.encoder.EncoderBase;
import java.nio.charset.StandardCharsets;

/**
 * The access appender's encoder: writes exactly what the text pattern {@code
 * %d{yyyy-MM-dd'T'HH:mm:ss.SSSXXX,UTC} %-5level %logger{20} %msg%n} writes for the {@code
 * tollgate.access} logger, straight into the line's bytes.
 *
 * <p>Why not the pattern: its layout builds a buffer, grows it, makes a string of it and then the
 * string's bytes, ~1.5 KB of garbage per access line at saturation (JFR). Here the timestamp's
 * second is formatted once per second and the line's bytes are the only object made. A logback.xml
 * of a site's own can still use any pattern encoder instead.
 */
public final class AccessLineEncoder extends EncoderBase<ILoggingEvent> {
  private static final byte[] NONE = new byte[0];

  // "2026-12-07T15:00:00." for the second last formatted; guarded by this (logback encodes outside
  // the appender's lock).
  private long second = Long.MIN_VALUE;
  private final byte[] secondText = new byte[20];

  @Override
  public byte[] headerBytes() {
    return NONE;
  }

  @Override
  public byte[] footerBytes() {
    return NONE;
  }

  @Override
  public synchronized byte[] encode(ILoggingEvent event) {
    String level = event.getLevel().toString();
    String logger = event.getLoggerName();
    String message = event.getFormattedMessage();
    // timestamp (24) + ' ' + level padded to 5 + ' ' + logger + ' ' + message + '\n'
    int head = 24 + 1 + Math.max(5, level.length()) + 1 + logger.length() + 1;
    byte[] line = new byte[head + message.length() + 1];
    int at = timestamp(event.getTimeStamp(), line);
    line[at++] = ' ';
    at = ascii(level, line, at);
    for (int pad = level.length(); pad < 5; pad++) {
      line[at++] = ' ';
    }
    line[at++] = ' ';
    at = ascii(logger, line, at);
    line[at++] = ' ';
    if (ascii(message, line, at) < 0) {
      // A path or model with characters past ASCII: its UTF-8 bytes are longer than its chars.
      byte[] utf8 = message.getBytes(StandardCharsets.UTF_8);
      byte[] wide = new byte[head + utf8.length + 1];
      System.arraycopy(line, 0, wide, 0, head);
      System.arraycopy(utf8, 0, wide, head, utf8.length);
      line = wide;
    }
    line[line.length - 1] = '\n';
    return line;
  }

  /** "yyyy-MM-ddTHH:mm:ss.SSSZ" (UTC) into the line's first 24 bytes. */
  private int timestamp(long millis, byte[] line) {
    long s = Math.floorDiv(millis, 1000);
    if (s != second) {
      String text = java.time.Instant.ofEpochSecond(s).toString(); // "...T15:00:00Z", no fraction
      for (int i = 0; i < 19; i++) {
        secondText[i] = (byte) text.charAt(i);
      }
      secondText[19] = '.';
      second = s;
    }
    System.arraycopy(secondText, 0, line, 0, 20);
    int ms = (int) Math.floorMod(millis, 1000);
    line[20] = (byte) ('0' + ms / 100);
    line[21] = (byte) ('0' + ms / 10 % 10);
    line[22] = (byte) ('0' + ms % 10);
    line[23] = 'Z';
    return 24;
  }

  /** The text's chars as bytes from {@code at}; -1 if one of them is not ASCII. */
  private static int ascii(String text, byte[] out, int at) {
    for (int i = 0, n = text.length(); i < n; i++) {
      char c = text.charAt(i);
      if (c >= 0x80) {
        return -1;
      }
      out[at++] = (byte) c;
    }
    return at;
  }
}
