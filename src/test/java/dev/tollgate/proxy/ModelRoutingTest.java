package dev.tollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.testing.RawUpstream;
import dev.tollgate.testing.TestTollgate;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** One Tollgate, two upstreams: the body's model picks the upstream, by name, glob or prefix. */
class ModelRoutingTest {
  static final ObjectMapper JSON = new ObjectMapper();
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  static RawUpstream recording(List<RawUpstream.Request> into, String answer) throws Exception {
    return new RawUpstream(
        c -> {
          RawUpstream.Request r;
          while ((r = c.readRequest()) != null) {
            into.add(r);
            c.writeJson("200 OK", answer);
          }
        });
  }

  HttpResponse<String> chat(TestTollgate t, String model) throws Exception {
    return http.send(
        HttpRequest.newBuilder(t.uri("/v1/chat/completions"))
            .header("Authorization", "Bearer sk-client-openai")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"model\":\"" + model + "\",\"messages\":[]}"))
            .build(),
        BodyHandlers.ofString());
  }

  @Test
  void theModelChoosesTheUpstreamAndAPrefixIsRemovedBeforeItIsSent() throws Exception {
    List<RawUpstream.Request> openai = new CopyOnWriteArrayList<>();
    List<RawUpstream.Request> deepseek = new CopyOnWriteArrayList<>();
    try (RawUpstream o =
            recording(
                openai,
                "{\"model\":\"gpt-4o-mini\",\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":5}}");
        RawUpstream d =
            recording(
                deepseek,
                "{\"model\":\"deepseek-chat\",\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":5}}");
        TestTollgate t =
            TestTollgate.start(
                o.baseUrl(),
                "auth: {allow_shared_key: true}\n"
                    + "upstreams: {deepseek: {url: '"
                    + d.baseUrl()
                    + "', provider: openai_compatible, api_key: sk-tollgate-deepseek}}\n"
                    + "routes: [{match: 'deepseek-*', upstream: deepseek},"
                    + " {match: 'ds/', upstream: deepseek}]\n")) {
      assertThat(chat(t, "gpt-4o-mini").statusCode()).isEqualTo(200);
      assertThat(chat(t, "DeepSeek-Chat").statusCode()).isEqualTo(200); // globs ignore case
      assertThat(chat(t, "ds/deepseek-reasoner").statusCode()).isEqualTo(200);

      assertThat(openai).hasSize(1);
      assertThat(openai.get(0).head().toLowerCase())
          .contains("authorization: bearer sk-client-openai");
      assertThat(deepseek).hasSize(2);
      for (RawUpstream.Request r : deepseek) {
        // Tollgate's own key for that upstream; the client's OpenAI key never goes there.
        assertThat(r.head().toLowerCase())
            .startsWith("post /v1/chat/completions http/1.1")
            .contains("authorization: bearer sk-tollgate-deepseek")
            .doesNotContain("sk-client-openai");
      }
      assertThat(deepseek.get(0).body()).isEqualTo("{\"model\":\"DeepSeek-Chat\",\"messages\":[]}");
      assertThat(deepseek.get(1).body())
          .isEqualTo("{\"model\":\"deepseek-reasoner\",\"messages\":[]}"); // prefix removed

      List<JsonNode> calls = t.awaitCalls(3);
      assertThat(calls).allSatisfy(c -> assertThat(c.get("status").asText()).isEqualTo("priced"));
      assertThat(calls)
          .extracting(c -> c.get("provider").asText())
          .containsExactlyInAnyOrder("openai", "deepseek", "deepseek");

      // Reports group by provider; the cost and token metrics carry it as a label.
      JsonNode spend =
          JSON.readTree(
              http.send(
                      HttpRequest.newBuilder(t.adminUri("/admin/spend?group_by=provider")).build(),
                      BodyHandlers.ofString())
                  .body());
      assertThat(spend.get("rows"))
          .extracting(r -> r.get("provider").asText() + "=" + r.get("requests").asInt())
          .containsExactlyInAnyOrder("deepseek=2", "openai=1");
      String metrics =
          http.send(HttpRequest.newBuilder(t.adminUri("/metrics")).build(), BodyHandlers.ofString())
              .body();
      assertThat(metrics)
          .containsPattern("tollgate_cost_usd_total\\{[^}]*provider=\"deepseek\"")
          .containsPattern("tollgate_tokens_total\\{[^}]*provider=\"openai\"");
    }
  }

  @Test
  void withUnmatchedRejectAModelNoRouteNamesIsA400NamingIt() throws Exception {
    List<RawUpstream.Request> seen = new CopyOnWriteArrayList<>();
    try (RawUpstream o = recording(seen, "{}");
        TestTollgate t =
            TestTollgate.start(
                o.baseUrl(),
                "routes: [{match: 'gpt-*', upstream: default}]\nunmatched: reject\n")) {
      HttpResponse<String> r = chat(t, "llama-3-70b");
      assertThat(r.statusCode()).isEqualTo(400);
      JsonNode error = JSON.readTree(r.body()).get("error");
      assertThat(error.get("code").asText()).isEqualTo("model_not_found");
      assertThat(error.get("message").asText()).contains("'llama-3-70b'");
      assertThat(chat(t, "gpt-4o-mini").statusCode()).isEqualTo(200);
      // Calls that name no model (listing models) go to the default upstream.
      assertThat(
              http.send(
                      HttpRequest.newBuilder(t.uri("/v1/models")).build(), BodyHandlers.ofString())
                  .statusCode())
          .isEqualTo(200);
      assertThat(seen).hasSize(2);
    }
  }
}
