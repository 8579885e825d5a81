package dev.tollgate.openai;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The model of an upload is read from its form field, before or after the file, never the file. */
class MultipartFieldsTest {
  private static final String B = "----tollgate7MA4YWxkTrZu0gW";

  private static String part(String name, String filename, String value) {
    return "--"
        + B
        + "\r\nContent-Disposition: form-data; name=\""
        + name
        + "\""
        + (filename == null ? "" : "; filename=\"" + filename + "\"\r\nContent-Type: audio/mpeg")
        + "\r\n\r\n"
        + value
        + "\r\n";
  }

  private static String field(String body) {
    byte[] bytes = body.getBytes(StandardCharsets.ISO_8859_1);
    return MultipartFields.field(bytes, bytes.length, B, "model");
  }

  @Test
  void theModelFieldIsFoundBeforeOrAfterTheFile() {
    String file = part("file", "speech.mp3", "ID3\u0000\u0001binary\r\nname=\"model\"\r\n\r\nfake");
    assertThat(field(part("model", null, "whisper-1") + file + "--" + B + "--\r\n"))
        .isEqualTo("whisper-1");
    assertThat(field(file + part("model", null, "gpt-4o-transcribe") + "--" + B + "--\r\n"))
        .isEqualTo("gpt-4o-transcribe");
  }

  @Test
  void aFileNamedModelOrAnOverlongValueIsNoModel() {
    assertThat(field(part("model", "model.txt", "gpt-4o") + "--" + B + "--\r\n")).isNull();
    assertThat(field(part("model", null, "x".repeat(1000)) + "--" + B + "--\r\n")).isNull();
    assertThat(field(part("language", null, "en") + "--" + B + "--\r\n")).isNull();
  }

  @Test
  void theBoundaryComesFromAMultipartContentTypeOnly() {
    assertThat(MultipartFields.boundary("multipart/form-data; boundary=" + B)).isEqualTo(B);
    assertThat(MultipartFields.boundary("Multipart/Form-Data; charset=utf-8; boundary=\"ab c\""))
        .isEqualTo("ab c");
    assertThat(MultipartFields.boundary("application/json")).isNull();
    assertThat(MultipartFields.boundary(null)).isNull();
    assertThat(MultipartFields.boundary("multipart/form-data")).isNull();
  }
}
