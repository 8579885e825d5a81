package dev.tollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.call.Api;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * One spelling per path: every spelling of a metered path is classified, budgeted, as the plain.
 */
class CanonicalPathTest {
  @ParameterizedTest(name = "{0} -> {1} ({2})")
  @CsvSource({
    // The spellings that skipped a $0 hard budget: each is its plain path's API.
    "/v1//chat/completions, /v1/chat/completions, chat",
    "/v1/%63hat/completions, /v1/chat/completions, chat",
    "/anthropic/v1/messages/, /anthropic/v1/messages, messages",
    "/anthropic/v1/%6Dessages, /anthropic/v1/messages, messages",
    "/gemini/v1beta/models/gemini-2.5-flash%3AgenerateContent,"
        + " /gemini/v1beta/models/gemini-2.5-flash:generateContent, generate_content",
    "/gemini/v1beta/models/gemini-2.5-flash%3astreamGenerateContent,"
        + " /gemini/v1beta/models/gemini-2.5-flash:streamGenerateContent, generate_content",
    // Others of the same kind.
    "//v1///responses//, /v1/responses, responses",
    "/v1/%72%65%73%70%6f%6e%73%65%73, /v1/responses, responses",
    "/v1/embeddings/, /v1/embeddings, embeddings",
    "/v1/chat%2Dcompletions, /v1/chat-completions, other",
    "/v1/chat/completions, /v1/chat/completions, chat",
    "/v1/, /v1, other",
    // Escapes of reserved characters stay escaped, in upper case.
    "/v1/files/a%2cb, /v1/files/a%2Cb, other",
    "/v1/files/%e2%82%ac, /v1/files/%E2%82%AC, other",
    "/v1/files/a%25b, /v1/files/a%25b, other",
    "/, /, other",
  })
  void everySpellingOfAPathIsItsCanonicalOne(String raw, String canonical, String api) {
    CanonicalPath c = CanonicalPath.of(raw);
    assertThat(c.refused()).isFalse();
    assertThat(c.path()).isEqualTo(canonical);
    assertThat(Api.of(c.path()).label()).isEqualTo(api);
  }

  @ParameterizedTest(name = "{0} is refused")
  @CsvSource({
    "/v1/chat%2Fcompletions",
    "/v1/chat%2fcompletions",
    "/v1/chat%5Ccompletions",
    "/v1/chat\\completions",
    "/v1/chat%00/completions",
    "/v1/%zzchat",
    "/v1/chat/completions%",
    "/v1/chat/completions%4",
    "/v1/../admin",
    "/v1/%2e%2e/admin",
    "/v1/%2E/models",
    "/v1/./models",
    "/v1/models/..",
    "v1/models",
  })
  void anAmbiguousPathIsRefused(String raw) {
    CanonicalPath c = CanonicalPath.of(raw);
    assertThat(c.refused()).isTrue();
    assertThat(c.path()).isNull();
    assertThat(c.problem()).isNotBlank();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "/v1/chat/completions",
    "/v1/models/gpt-4o",
    "/gemini/v1beta/models/gemini-2.5-pro:generateContent",
    "/v1/files/file-abc.jsonl",
    "/v1/.well-known",
  })
  void aPlainPathIsKeptAsTheSameString(String raw) {
    CanonicalPath c = CanonicalPath.of(raw);
    assertThat(c.path()).isSameAs(raw);
  }
}
