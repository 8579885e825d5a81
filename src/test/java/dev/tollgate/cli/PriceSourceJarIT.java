package dev.tollgate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.testing.RawUpstream;
import java.io.BufferedWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real jar reads a 50 MB LiteLLM-format price source on a 96 MB heap (read as a stream, one
 * model at a time: it used to be read whole, then into a tree, and a 50 MB file exhausted a 512 MiB
 * heap), prices a model only that source knows, and names the models it skipped.
 */
class PriceSourceJarIT {
  static final ObjectMapper JSON = new ObjectMapper();
  @TempDir Path dir;

  @Test
  void aFiftyMegabyteSourceIsReadOnASmallHeapAndItsBadModelsAreNamed() throws Exception {
    Path source = dir.resolve("litellm.json");
    String padding = "x".repeat(17_000); // big entries, not more models than a real map
    try (BufferedWriter out = Files.newBufferedWriter(source)) {
      out.write(
          "{\"acme-target\":{\"litellm_provider\":\"acme\",\"mode\":\"chat\","
              + "\"input_cost_per_token\":\"0.000004\",\"output_cost_per_token\":1.6e-05},");
      out.write(
          "\"acme-nan\":{\"litellm_provider\":\"acme\",\"input_cost_per_token\":NaN,"
              + "\"output_cost_per_token\":1e-06},");
      for (int i = 0; i < 3_000; i++) {
        out.write(
            "\"acme-filler-"
                + i
                + "\":{\"litellm_provider\":\"acme\",\"mode\":\"chat\","
                + "\"input_cost_per_token\":1e-06,\"output_cost_per_token\":2e-06,\"notes\":\""
                + padding
                + "\"},");
      }
      out.write(
          "\"acme-last\":{\"litellm_provider\":\"acme\",\"input_cost_per_token\":1e-06,"
              + "\"output_cost_per_token\":1e-06}}");
    }
    assertThat(Files.size(source)).isGreaterThan(50_000_000L);
    Path config = dir.resolve("tollgate.yaml");
    Files.writeString(
        config,
        "pricing:\n  sources:\n    - {name: big, format: litellm, location: '"
            + source
            + "', refresh: 1h}\n");
    String answer =
        "{\"id\":\"c\",\"object\":\"chat.completion\",\"model\":\"acme-target\",\"choices\":[],"
            + "\"usage\":{\"prompt_tokens\":1000,\"completion_tokens\":100}}";
    try (RawUpstream upstream =
        new RawUpstream(
            c -> {
              while (c.readRequest() != null) {
                c.writeJson("200 OK", answer);
              }
            })) {
      int port = LedgerDurabilityIT.freePort();
      int admin = LedgerDurabilityIT.freePort();
      Process p =
          ServeJarIT.start(
              dir,
              Map.of(
                  "JAVA_TOOL_OPTIONS",
                  "-Xmx96m",
                  "TOLLGATE_PORT",
                  "" + port,
                  "TOLLGATE_ADMIN_PORT",
                  "" + admin,
                  "TOLLGATE_UPSTREAM_URL",
                  upstream.baseUrl()),
              "--config",
              config.toString());
      try {
        ServeJarIT.awaitReady(admin);
        HttpClient http = HttpClient.newHttpClient();
        // The source is read on its own thread after start: the first call may be early.
        await()
            .atMost(Duration.ofSeconds(60))
            .until(
                () ->
                    Files.readString(dir.resolve("stdout.txt"))
                        .contains("Price source 'big': 3002 models"));
        var r =
            http.send(
                HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
                    .header("Authorization", "Bearer sk-test")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"acme-target\"}"))
                    .build(),
                BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        // 1,000 x $4/M + 100 x $16/M = $0.0056, from the string rate and the number alike.
        await()
            .atMost(Duration.ofSeconds(10))
            .untilAsserted(
                () -> {
                  JsonNode calls =
                      JSON.readTree(
                          http.send(
                                  HttpRequest.newBuilder(
                                          URI.create("http://127.0.0.1:" + admin + "/admin/calls"))
                                      .build(),
                                  BodyHandlers.ofString())
                              .body());
                  assertThat(calls.at("/calls/0/cost_usd").asText()).isEqualTo("0.0056");
                  assertThat(calls.at("/calls/0/status").asText()).isEqualTo("priced");
                });
        String log = Files.readString(dir.resolve("stdout.txt"));
        assertThat(log)
            .contains("Price source 'big'")
            .contains("1 models skipped")
            .contains("acme-nan (unusable rate input_cost_per_token: not a finite number")
            .doesNotContain("OutOfMemoryError");
      } finally {
        p.destroyForcibly();
      }
    }
  }
}
