package dev.tollgate.openai;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ModelRewriteTest {
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"model\":\"deepseek/deepseek-chat\",\"messages\":[]}|{\"model\":\"deepseek-chat\",\"messages\":[]}",
        "{ \"messages\": [{\"model\":\"x\"}],  \"model\" : \"deepseek/r1\" }|{ \"messages\": [{\"model\":\"x\"}],  \"model\" : \"deepseek-chat\" }",
        "{\"model\":\"a\\u002fb\",\"n\":1}|{\"model\":\"deepseek-chat\",\"n\":1}",
      })
  void onlyTheTopLevelModelStringChanges(String body, String expected) {
    byte[] out = ModelRewrite.apply(body.getBytes(StandardCharsets.UTF_8), "deepseek-chat");
    assertThat(new String(out, StandardCharsets.UTF_8)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {"{\"messages\":[]}", "[1,2]", "not json", "{\"model\":7}"})
  void aBodyWithoutAStringModelIsLeftAlone(String body) {
    assertThat(ModelRewrite.apply(body.getBytes(StandardCharsets.UTF_8), "m")).isNull();
  }
}
