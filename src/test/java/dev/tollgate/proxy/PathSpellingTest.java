package dev.tollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.testing.RawClient;
import dev.tollgate.testing.RawUpstream;
import dev.tollgate.testing.TestTollgate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Another spelling of a metered path is the same call: with a $0 hard budget each is refused as its
 * plain spelling is (it used to be classified "other", forwarded as sent and recorded later), and
 * what is forwarded is the canonical spelling. A path Tollgate cannot meter is refused while a hard
 * budget covers the caller, never admitted unchecked.
 */
class PathSpellingTest {
  private static final String CHAT = "{\"model\":\"gpt-4o-mini\",\"messages\":[]}";
  private static final String CLAUDE =
      "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":10,\"messages\":[]}";
  @TempDir Path dir;
  private final List<String> forwarded = new CopyOnWriteArrayList<>();
  private RawUpstream upstream;
  private TestTollgate tollgate;

  @BeforeEach
  void start() throws Exception {
    Files.writeString(
        dir.resolve("budgets.yaml"),
        "- {name: frozen, scope: 'team:frozen', limit_usd: 0, period: month}\n");
    upstream =
        new RawUpstream(
            c -> {
              RawUpstream.Request r;
              while ((r = c.readRequest()) != null) {
                forwarded.add(r.requestLine());
                c.writeJson("200 OK", "{}");
              }
            });
    String root = upstream.baseUrl().replace("/v1", "");
    tollgate =
        TestTollgate.start(
            upstream.baseUrl(),
            "budgets: {file: '"
                + dir.resolve("budgets.yaml")
                + "'}\nupstreams:\n  claude: {url: '"
                + root
                + "', provider: anthropic}\n  google: {url: '"
                + root
                + "', provider: gemini}\n");
  }

  @AfterEach
  void stop() throws Exception {
    tollgate.close();
    upstream.close();
  }

  private String post(String path, String team, String body) throws Exception {
    try (RawClient c = new RawClient(tollgate.port())) {
      return c.send(
              "POST "
                  + path
                  + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer sk-test\r\n"
                  + "X-Tollgate-Team: "
                  + team
                  + "\r\nContent-Type: application/json\r\nContent-Length: "
                  + body.length()
                  + "\r\n\r\n"
                  + body)
          .readResponse();
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "/v1/chat/completions, chat",
    "/v1//chat/completions, chat",
    "/v1/%63hat/completions, chat",
    "/v1/chat/completions/, chat",
    "/anthropic/v1/messages, claude",
    "/anthropic/v1/messages/, claude",
    "/anthropic/v1/%6Dessages, claude",
    "/gemini/v1beta/models/gemini-2.5-flash:generateContent, chat",
    "/gemini/v1beta/models/gemini-2.5-flash%3AgenerateContent, chat",
    "/gemini/v1beta/models/gemini-2.5-flash%3astreamGenerateContent, chat",
  })
  void everySpellingOfAMeteredPathMeetsTheBudget(String path, String body) throws Exception {
    String answer = post(path, "frozen", body.equals("claude") ? CLAUDE : CHAT);
    assertThat(answer).startsWith("HTTP/1.1 429").contains("\"code\":\"budget_exceeded\"");
    assertThat(forwarded).as("nothing reached the upstream").isEmpty();
  }

  @Test
  void whatIsForwardedIsTheCanonicalSpelling() throws Exception {
    assertThat(post("/v1//chat/completions/", "open", CHAT)).startsWith("HTTP/1.1 200");
    assertThat(post("/anthropic/v1/%6Dessages/", "open", CLAUDE)).startsWith("HTTP/1.1 200");
    assertThat(post("/gemini/v1beta/models/gemini-2.5-flash%3AgenerateContent", "open", CHAT))
        .startsWith("HTTP/1.1 200");
    assertThat(forwarded)
        .containsExactly(
            "POST /v1/chat/completions HTTP/1.1",
            "POST /v1/messages HTTP/1.1",
            "POST /v1beta/models/gemini-2.5-flash:generateContent HTTP/1.1");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"/v1/chat%2Fcompletions", "/v1/%zz", "/v1/chat/../completions", "/v1/a%00b"})
  void anAmbiguousSpellingIs400(String path) throws Exception {
    assertThat(post(path, "open", CHAT))
        .startsWith("HTTP/1.1 400")
        .contains("\"type\":\"invalid_request_error\"");
    assertThat(forwarded).isEmpty();
  }

  @Test
  void aPathTollgateCannotMeterIsRefusedUnderAHardBudgetOnly() throws Exception {
    String refused = post("/v1/fine_tuning/jobs", "frozen", "{}");
    assertThat(refused).startsWith("HTTP/1.1 403").contains("\"code\":\"unmetered_path\"");
    assertThat(post("/gemini/v1beta/models/text-embedding-004:embedContent", "frozen", "{}"))
        .startsWith("HTTP/1.1 403");
    assertThat(forwarded).isEmpty();
    // Known to bill nothing, or a team no hard budget covers, or a read: forwarded.
    assertThat(post("/v1/files", "frozen", "{}")).startsWith("HTTP/1.1 200");
    assertThat(post("/anthropic/v1/messages/count_tokens", "frozen", CLAUDE))
        .startsWith("HTTP/1.1 200");
    assertThat(post("/v1/fine_tuning/jobs", "open", "{}")).startsWith("HTTP/1.1 200");
    try (RawClient c = new RawClient(tollgate.port())) {
      String read =
          c.send(
                  "GET /v1/batches HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer sk-test\r\n"
                      + "X-Tollgate-Team: frozen\r\n\r\n")
              .readResponse();
      assertThat(read).startsWith("HTTP/1.1 200");
    }
    assertThat(forwarded).hasSize(4);
  }
}
