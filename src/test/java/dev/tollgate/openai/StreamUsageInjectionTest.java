package dev.tollgate.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StreamUsageInjectionTest {
  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      value = {
        // request body                                                         | expected body
        //                                                                              | injected
        "{\"model\":\"gpt-4o\",\"stream\":true}                                  | {\"model\":\"gpt-4o\",\"stream\":true,\"stream_options\":{\"include_usage\":true}}                | true",
        "{\"model\":\"gpt-4o\", \"stream\": true }                               | {\"model\":\"gpt-4o\", \"stream\": true ,\"stream_options\":{\"include_usage\":true}}             | true",
        "{\"stream\":true,\"stream_options\":{\"include_obfuscation\":false}}     | {\"stream\":true,\"stream_options\":{\"include_usage\":true,\"include_obfuscation\":false}}      | true",
        "{\"stream\":true,\"stream_options\":{ }}                                 | {\"stream\":true,\"stream_options\":{\"include_usage\":true }}                                   | true",
        "{\"stream\":true,\"stream_options\":{\"include_usage\":false}}           | {\"stream\":true,\"stream_options\":{\"include_usage\":true}}                                    | true",
        "{\"stream\":true,\"stream_options\":null}                                | {\"stream\":true,\"stream_options\":{\"include_usage\":true}}                                    | true",
        "{\"stream_options\":{\"include_usage\":false},\"stream\":true,\"n\":2}    | {\"stream_options\":{\"include_usage\":true},\"stream\":true,\"n\":2}                            | true",
        "{\"stream\":true,\"stream_options\":{\"include_usage\":true}}            | {\"stream\":true,\"stream_options\":{\"include_usage\":true}}                                    | false",
        "{\"model\":\"gpt-4o\",\"stream\":false}                                 | {\"model\":\"gpt-4o\",\"stream\":false}                                                          | false",
        "{\"model\":\"gpt-4o\"}                                                  | {\"model\":\"gpt-4o\"}                                                                           | false",
        "{\"stream\":true,\"messages\":[{\"content\":\"}\\\"{\"}]}                | {\"stream\":true,\"messages\":[{\"content\":\"}\\\"{\"}],\"stream_options\":{\"include_usage\":true}} | true",
        "not json                                                                | not json                                                                                         | false",
        "{\"stream\":true,\"stream_options\":\"yes\"}                             | {\"stream\":true,\"stream_options\":\"yes\"}                                                     | false",
      })
  void streamedRequestsAreMadeToAskForUsage(String body, String expected, boolean injected)
      throws Exception {
    StreamUsageInjection.Result r =
        StreamUsageInjection.apply(body.getBytes(StandardCharsets.UTF_8));
    assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(expected);
    assertThat(r.injected()).isEqualTo(injected);
    if (injected) {
      assertThat(
              new ObjectMapper().readTree(r.body()).at("/stream_options/include_usage").asBoolean())
          .isTrue();
    }
  }

  @org.junit.jupiter.api.Test
  void multiByteCharactersBeforeTheEditKeepTheirBytes() {
    String body = "{\"messages\":[{\"content\":\"héllo — 你好 🚀\"}],\"stream\":true}";
    StreamUsageInjection.Result r =
        StreamUsageInjection.apply(body.getBytes(StandardCharsets.UTF_8));
    assertThat(new String(r.body(), StandardCharsets.UTF_8))
        .isEqualTo(
            "{\"messages\":[{\"content\":\"héllo — 你好 🚀\"}],\"stream\":true,\"stream_options\":{\"include_usage\":true}}");
  }
}
