package dev.tollgate.openai;

import com.fasterxml.jackson.core.JsonParser;
import java.io.IOException;

/**
 * The text a response wrote, kept for an estimate should its usage never arrive: at most 512 KiB
 * (about 128k tokens, past which an estimate gains nothing), and how much more there was.
 */
final class OutputText {
  private static final int MAX_CHARS = 512 * 1024;

  private final StringBuilder text = new StringBuilder();
  private long overflow;

  void append(String value) {
    int room = MAX_CHARS - text.length();
    if (room >= value.length()) {
      text.append(value);
    } else {
      text.append(value, 0, Math.max(room, 0));
      overflow += value.length() - Math.max(room, 0);
    }
  }

  /** The string value the parser is on, from its own characters (no {@code String} made). */
  void append(JsonParser p) throws IOException {
    char[] chars = p.getTextCharacters();
    int offset = p.getTextOffset();
    int length = p.getTextLength();
    int room = Math.max(MAX_CHARS - text.length(), 0);
    text.append(chars, offset, Math.min(length, room));
    overflow += Math.max(length - room, 0);
  }

  String text() {
    return text.toString();
  }

  /** Characters written past what was kept. */
  long overflow() {
    return overflow;
  }
}
