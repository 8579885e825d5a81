package dev.tollgate.budget;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.testing.RawUpstream;
import dev.tollgate.testing.TestTollgate;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Requests and tokens per minute, answered as OpenAI answers its own limits. */
class RateLimitTest {
  static final ObjectMapper JSON = new ObjectMapper();
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  HttpResponse<String> chat(TestTollgate t, String team, int maxTokens) throws Exception {
    return http.send(
        HttpRequest.newBuilder(t.uri("/v1/chat/completions"))
            .header("X-Tollgate-Team", team)
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"model\":\"gpt-4o-mini\",\"max_tokens\":" + maxTokens + ",\"messages\":[]}"))
            .build(),
        BodyHandlers.ofString());
  }

  @Test
  void requestAndTokenLimitsAnswer429WithRetryAfterAndRateLimitHeaders() throws Exception {
    AtomicInteger served = new AtomicInteger();
    try (RawUpstream upstream =
            new RawUpstream(
                c -> {
                  while (c.readRequest() != null) {
                    served.incrementAndGet();
                    c.writeJson("200 OK", BudgetEnforcementTest.ANSWER);
                  }
                });
        TestTollgate t =
            TestTollgate.start(
                upstream.baseUrl(),
                "budgets: {rate_limits: ["
                    + "{scope: 'team:search', requests_per_minute: 3},"
                    + "{scope: 'team:*', tokens_per_minute: 5000}]}")) {
      for (int i = 0; i < 3; i++) {
        assertThat(chat(t, "search", 10).statusCode()).isEqualTo(200);
      }
      HttpResponse<String> r = chat(t, "search", 10);
      assertThat(r.statusCode()).isEqualTo(429);
      JsonNode error = JSON.readTree(r.body()).get("error");
      assertThat(error.get("type").asText()).isEqualTo("requests");
      assertThat(error.get("code").asText()).isEqualTo("rate_limit_exceeded");
      assertThat(error.get("message").asText())
          .startsWith("Rate limit reached for team search on requests per minute: limit 3");
      assertThat(r.headers().firstValue("x-ratelimit-limit-requests")).contains("3");
      assertThat(r.headers().firstValue("x-ratelimit-remaining-requests")).contains("0");
      assertThat(r.headers().firstValue("x-ratelimit-reset-requests").orElseThrow())
          .matches("(1[0-9]|20)s"); // one request comes back every 20 s
      assertThat(Integer.parseInt(r.headers().firstValue("retry-after").orElseThrow()))
          .isBetween(1, 20);
      assertThat(served.get()).isEqualTo(3);

      // Tokens: each team has 5,000 a minute; a 4,000-token call fits once, not twice.
      assertThat(chat(t, "ads", 4000).statusCode()).isEqualTo(200);
      HttpResponse<String> tokens = chat(t, "ads", 4000);
      assertThat(tokens.statusCode()).isEqualTo(429);
      assertThat(JSON.readTree(tokens.body()).at("/error/type").asText()).isEqualTo("tokens");
      assertThat(tokens.headers().firstValue("x-ratelimit-limit-tokens")).contains("5000");
      // Another team has its own bucket.
      assertThat(chat(t, "support", 4000).statusCode()).isEqualTo(200);
    }
  }
}
