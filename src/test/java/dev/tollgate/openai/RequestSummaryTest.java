package dev.tollgate.openai;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RequestSummaryTest {
  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      nullValues = "null",
      value = {
        "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]} | gpt-4o | false",
        "{\"messages\":[{\"model\":\"nested\"}],\"stream\":true,\"model\":\"o3\"}     | o3     | true",
        "{\"input\":\"x\",\"model\":\"text-embedding-3-small\",\"stream\":false}      | text-embedding-3-small | false",
        "{\"stream\":true}                                                           | null   | true",
        "not json at all                                                             | null   | false",
        "[1,2,3]                                                                      | null   | false",
        "{\"model\":\"gpt-4o\",\"messages\":[                                          | gpt-4o | false",
        "''                                                                           | null   | false",
        "{\"model\":42}                                                               | null   | false",
      })
  void readsTheTopLevelModelAndStreamFlag(String body, String model, boolean stream) {
    RequestSummary s =
        RequestSummary.read(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)));
    assertThat(s.model()).isEqualTo(model);
    assertThat(s.stream()).isEqualTo(stream);
    assertThat(s.serviceTier()).isNull();
    assertThat(s.user()).isNull();
  }
}
