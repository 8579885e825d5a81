package dev.tollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.testing.RawUpstream;
import dev.tollgate.testing.TestTollgate;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** Azure OpenAI's deployment paths, with its api-key header and deployments mapped to models. */
class AzureOpenAiTest {
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @Test
  void aDeploymentCallIsSentAsItIsWithTollgatesApiKeyAndPricedAsItsModel() throws Exception {
    String answer =
        "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"model\":\"gpt-4o-2024-08-06\","
            + "\"choices\":[],\"usage\":{\"prompt_tokens\":1000,\"completion_tokens\":100}}";
    List<RawUpstream.Request> seen = new CopyOnWriteArrayList<>();
    try (RawUpstream azure =
            new RawUpstream(
                c -> {
                  RawUpstream.Request r;
                  while ((r = c.readRequest()) != null) {
                    seen.add(r);
                    c.writeJson("200 OK", answer);
                  }
                });
        TestTollgate t =
            TestTollgate.start(
                "http://127.0.0.1:9/v1",
                "auth: {allow_shared_key: true}\nupstreams: {azure: {url: '"
                    + azure.baseUrl().replace("/v1", "")
                    + "', provider: azure, api_key: az-tollgate,"
                    + " deployments: {prod-4o: gpt-4o}}}\n")) {
      String path = "/openai/deployments/prod-4o/chat/completions?api-version=2024-10-21";
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(t.uri(path))
                  .header("api-key", "az-client")
                  .header("X-Tollgate-Team", "search")
                  .POST(HttpRequest.BodyPublishers.ofString("{\"messages\":[]}"))
                  .build(),
              BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo(answer);
      assertThat(seen).hasSize(1);
      assertThat(seen.get(0).head())
          .startsWith("POST " + path + " HTTP/1.1")
          .containsIgnoringCase("api-key: az-tollgate")
          .doesNotContain("az-client");

      JsonNode call = t.awaitCalls(1).get(0);
      assertThat(call.get("api").asText()).isEqualTo("chat");
      assertThat(call.get("requested_model").asText()).isEqualTo("gpt-4o"); // from the deployment
      assertThat(call.get("provider").asText()).isEqualTo("azure");
      // gpt-4o at $2.50 / $10 per 1M: 1,000 x 2.5 + 100 x 10 = $0.0035.
      assertThat(call.get("cost_usd").asText()).isEqualTo("0.0035");
    }
  }
}
