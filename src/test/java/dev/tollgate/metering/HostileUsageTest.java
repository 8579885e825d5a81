package dev.tollgate.metering;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.testing.RawClient;
import dev.tollgate.testing.RawUpstream;
import dev.tollgate.testing.TestTollgate;
import java.math.BigDecimal;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Usage numbers from an upstream are hostile: through the real server, a count that is not a sane
 * token count makes the call estimated with a reason (never priced from it, never $0), and the
 * ledger goes on recording the calls after it.
 */
class HostileUsageTest {
  private final MeteringIntegrationTest admin = new MeteringIntegrationTest();

  /** prompt_tokens as sent, and the reason the call must carry. */
  private static final List<String[]> CASES =
      List.of(
          new String[] {"\"1200\"", "usage_invalid:prompt_tokens=\"1200\""},
          new String[] {"-5", "usage_invalid:prompt_tokens=-5"},
          new String[] {"12.5", "usage_invalid:prompt_tokens=12.5"},
          new String[] {"1e3", "usage_invalid:prompt_tokens=1000.0"},
          new String[] {"100000000000000", "usage_invalid:prompt_tokens=100000000000000"},
          new String[] {
            "99999999999999999999999", "usage_invalid:prompt_tokens=99999999999999999999999"
          },
          new String[] {"2000000000", "usage_out_of_range:2000000005"});

  static String chatBody(String promptTokens) {
    return "{\"id\":\"chatcmpl-h\",\"object\":\"chat.completion\",\"model\":\"gpt-4o-mini-2024-07-18\","
        + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Toll gates were"
        + " common on turnpikes.\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":"
        + promptTokens
        + ",\"completion_tokens\":5,\"total_tokens\":17}}";
  }

  @Test
  void aHostileUsageCountIsEstimatedWithItsReasonAndTheLedgerKeepsRecording() throws Exception {
    AtomicInteger next = new AtomicInteger();
    try (RawUpstream upstream =
            new RawUpstream(
                c -> {
                  while (c.readRequest() != null) {
                    int i = next.getAndIncrement();
                    String body = chatBody(i < CASES.size() ? CASES.get(i)[0] : "12");
                    c.writeJson("200 OK", body);
                  }
                });
        TestTollgate tollgate = TestTollgate.start(upstream.baseUrl());
        RawClient client = new RawClient(tollgate.port())) {
      for (int i = 0; i <= CASES.size(); i++) {
        assertThat(client.send(MeteringIntegrationTest.chatRequest(false)).readResponse())
            .startsWith("HTTP/1.1 200");
      }

      List<JsonNode> calls = tollgate.awaitCalls(CASES.size() + 1); // newest first
      List<JsonNode> priced =
          calls.stream().filter(c -> c.get("status").asText().equals("priced")).toList();
      assertThat(priced)
          .hasSize(1); // the sane call after all the hostile ones was recorded as usual
      assertThat(priced.get(0).get("tokens").get("input").asLong()).isEqualTo(12);
      // Calls in the same millisecond list in any order: match each case by its reason.
      List<JsonNode> hostile = calls.stream().filter(c -> !priced.contains(c)).toList();
      for (String[] c : CASES) {
        List<JsonNode> matching =
            hostile.stream()
                .filter(h -> h.get("reasons").get(0).asText().startsWith(c[1]))
                .toList();
        assertThat(matching).as("prompt_tokens %s", c[0]).hasSize(1);
        JsonNode call = matching.get(0);
        assertThat(call.get("status").asText()).isEqualTo("estimated");
        assertThat(new BigDecimal(call.get("cost_usd").asText())).isPositive();
        assertThat(call.get("tokens").get("input").asLong()).isBetween(1L, 1000L);
      }
      var ready =
          admin.http.send(
              HttpRequest.newBuilder(tollgate.adminUri("/readyz")).build(),
              BodyHandlers.ofString());
      assertThat(ready.statusCode()).isEqualTo(200);
      String metrics =
          admin
              .http
              .send(
                  HttpRequest.newBuilder(tollgate.adminUri("/metrics")).build(),
                  BodyHandlers.ofString())
              .body();
      assertThat(metrics).contains("tollgate_ledger_writer_up 1.0");
      assertThat(metrics)
          .containsPattern("tollgate_estimated_requests_total\\{.*reason=\"usage_invalid\"");
    }
  }

  @Test
  void usageOfTheWrongTypeWithNothingToEstimateFromIsUnpricedNeverZero() throws Exception {
    String body =
        "{\"id\":\"chatcmpl-w\",\"object\":\"chat.completion\",\"model\":\"gpt-4o-mini\","
            + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"\"}}],"
            + "\"usage\":\"plenty\"}";
    try (RawUpstream upstream =
            new RawUpstream(
                c -> {
                  while (c.readRequest() != null) {
                    c.writeJson("200 OK", body);
                  }
                });
        TestTollgate tollgate = TestTollgate.start(upstream.baseUrl());
        RawClient client = new RawClient(tollgate.port())) {
      String request = "{\"model\":\"gpt-4o-mini\"}";
      assertThat(
              client
                  .send(
                      "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: "
                          + request.length()
                          + "\r\n\r\n"
                          + request)
                  .readResponse())
          .startsWith("HTTP/1.1 200");
      JsonNode call = tollgate.awaitCalls(1).get(0);
      assertThat(call.get("status").asText()).isEqualTo("unpriced");
      assertThat(call.get("reasons").toString())
          .contains("nothing_to_estimate")
          .contains("usage_invalid:usage=plenty");
    }
  }
}
