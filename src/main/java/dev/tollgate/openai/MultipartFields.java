package dev.tollgate.openai;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Reads one small text field of a {@code multipart/form-data} body: the {@code model} of an audio
 * transcription or translation upload, which its JSON-less body names nowhere else. Netty-free and
 * bounded: a field's value is read only if it is short, and the body is scanned once for the
 * field's header, never parsed or copied whole.
 */
public final class MultipartFields {
  private static final int MAX_VALUE = 256;
  private static final int MAX_HEADERS = 2048;

  private MultipartFields() {}

  /** The boundary of a {@code multipart/form-data} content type, or null for any other. */
  public static String boundary(String contentType) {
    if (contentType == null
        || !contentType.toLowerCase(Locale.ROOT).startsWith("multipart/form-data")) {
      return null;
    }
    for (String param : contentType.split(";")) {
      String p = param.trim();
      if (p.regionMatches(true, 0, "boundary=", 0, 9)) {
        String b = p.substring(9).trim();
        if (b.length() >= 2 && b.startsWith("\"") && b.endsWith("\"")) {
          b = b.substring(1, b.length() - 1);
        }
        return b.isEmpty() || b.length() > 200 ? null : b;
      }
    }
    return null;
  }

  /**
   * The value of form field {@code name} in {@code body}, or null when there is none (or it is not
   * a short text value). Parts are found by their boundary, which by the format's rules never
   * occurs inside a part: a file's bytes are skipped, never mistaken for a field.
   */
  public static String field(byte[] body, int length, String boundary, String name) {
    byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.US_ASCII);
    byte[] blank = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    String wanted = "name=\"" + name + "\"";
    int at = indexOf(body, length, delimiter, 0);
    while (at >= 0) {
      int headersStart = at + delimiter.length;
      int headersEnd =
          indexOf(body, Math.min(length, headersStart + MAX_HEADERS), blank, headersStart);
      if (headersEnd < 0) {
        return null; // the last delimiter ("--boundary--"), or a part's head past the bound
      }
      int next = indexOf(body, length, delimiter, headersEnd + blank.length);
      String headers =
          new String(body, headersStart, headersEnd - headersStart, StandardCharsets.ISO_8859_1)
              .toLowerCase(Locale.ROOT);
      if (headers.contains(wanted) && !headers.contains("filename=") && next >= 0) {
        int start = headersEnd + blank.length;
        int stop = next - 2; // the CRLF before the next delimiter belongs to it
        return stop >= start && stop - start <= MAX_VALUE
            ? new String(body, start, stop - start, StandardCharsets.UTF_8).trim()
            : null;
      }
      at = next;
    }
    return null;
  }

  private static int indexOf(byte[] haystack, int length, byte[] needle, int from) {
    outer:
    for (int i = Math.max(0, from); i <= length - needle.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (haystack[i + j] != needle[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }
}
