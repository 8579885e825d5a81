package dev.tollgate.openai;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.tollgate.call.Usage;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Usage counts are read into a checked range; anything else makes the reading invalid. */
class UsageParserTest {
  // Python's json.dumps writes NaN and Infinity; a lenient upstream may send them.
  private static final ObjectMapper LENIENT =
      JsonMapper.builder().enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

  private static UsageParser.Reading read(String usage) throws Exception {
    return UsageParser.read(LENIENT.readTree(usage));
  }

  @ParameterizedTest(name = "prompt_tokens {0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "'\"1200\"'        | prompt_tokens=\"1200\"",
        "-5                | prompt_tokens=-5",
        "12.5              | prompt_tokens=12.5",
        "1e3               | prompt_tokens=1000.0",
        "NaN               | prompt_tokens=\"NaN\"", // Jackson quotes non-numeric numbers
        "-Infinity         | prompt_tokens=\"-Infinity\"",
        "true              | prompt_tokens=true",
        "{}                | prompt_tokens={}",
        "1000000000001     | prompt_tokens=1000000000001",
        "99999999999999999999999 | prompt_tokens=99999999999999999999999"
      })
  void aCountThatIsNotASaneTokenCountMakesTheReadingInvalid(String value, String invalid)
      throws Exception {
    UsageParser.Reading r = read("{\"prompt_tokens\":" + value + ",\"completion_tokens\":5}");
    assertThat(r.usage()).isNull();
    assertThat(r.invalid()).isEqualTo(invalid);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"input_tokens\":5000000000000000000,\"cache_read_input_tokens\":5000000000000000000,"
            + "\"output_tokens\":1}",
        "{\"prompt_tokens\":10,\"completion_tokens\":5,\"prompt_tokens_details\":{\"cached_tokens\":-1}}",
        // each count in range, their sum (Anthropic adds cache reads and writes to input) is not
        "{\"input_tokens\":900000000000,\"cache_read_input_tokens\":900000000000,\"output_tokens\":1}",
        "{\"prompt_tokens\":10,\"completion_tokens\":5,"
            + "\"completion_tokens_details\":{\"reasoning_tokens\":\"3\"}}"
      })
  void anInvalidCountAnywhereInTheUsageInvalidatesItWithoutThrowing(String usage) throws Exception {
    UsageParser.Reading r = read(usage);
    assertThat(r.usage()).isNull();
    assertThat(r.invalid()).isNotNull();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"prompt_tokens\":12,\"completion_tokens\":3}                         | 12 | 3",
        "{\"prompt_tokens\":12,\"completion_tokens\":null}                      | 12 | 0",
        "{\"prompt_tokens\":1000000000000,\"completion_tokens\":0}              | 1000000000000 | 0",
        "{\"input_tokens\":7,\"output_tokens\":2,\"input_tokens_details\":null} | 7 | 2"
      })
  void saneCountsAreReadAsTheyAre(String usage, long input, long output) throws Exception {
    UsageParser.Reading r = read(usage);
    assertThat(r.invalid()).isNull();
    assertThat(r.usage()).isEqualTo(Usage.of(input, output));
  }
}
