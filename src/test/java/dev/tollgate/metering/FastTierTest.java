package dev.tollgate.metering;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.testing.RawClient;
import dev.tollgate.testing.RawUpstream;
import dev.tollgate.testing.TestTollgate;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * OpenAI renamed Priority to Fast on 2026-07-30: a call served as {@code fast} and one served as
 * {@code priority} cost the same (o3's priority rates, $3.50 / $14 per 1M), and each is recorded
 * and labelled as it was served.
 */
class FastTierTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  private static String chat(String tier) {
    String body = "{\"model\":\"o3\",\"service_tier\":\"" + tier + "\",\"messages\":[]}";
    return "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
        + "Content-Length: "
        + body.length()
        + "\r\n\r\n"
        + body;
  }

  @Test
  void fastAndPriorityAreOnePriceEachLabelledAsServed() throws Exception {
    try (RawUpstream upstream =
            new RawUpstream(
                c -> {
                  RawUpstream.Request r;
                  while ((r = c.readRequest()) != null) {
                    String tier = JSON.readTree(r.body()).path("service_tier").asText();
                    c.writeJson(
                        "200 OK",
                        "{\"model\":\"o3-2025-04-16\",\"service_tier\":\""
                            + tier
                            + "\",\"usage\":{\"prompt_tokens\":1000,\"completion_tokens\":500}}");
                  }
                });
        TestTollgate t = TestTollgate.start(upstream.baseUrl());
        RawClient client = new RawClient(t.port())) {
      client.send(chat("fast")).readResponse();
      client.send(chat("priority")).readResponse();
      List<JsonNode> calls = t.awaitCalls(2);
      assertThat(calls)
          .extracting(c -> c.path("service_tier").asText())
          .containsExactlyInAnyOrder("fast", "priority");
      for (JsonNode c : calls) {
        assertThat(c.path("status").asText()).isEqualTo("priced");
        assertThat(c.path("cost_usd").asText()).isEqualTo("0.0105"); // 1000 x 3.5 + 500 x 14
        assertThat(c.path("price_version").asText()).isEqualTo("o3@2025-06-10/priority");
      }
      String metrics =
          HttpClient.newHttpClient()
              .send(HttpRequest.newBuilder(t.adminUri("/metrics")).build(), BodyHandlers.ofString())
              .body();
      assertThat(metrics).contains("service_tier=\"fast\"").contains("service_tier=\"priority\"");
    }
  }
}
