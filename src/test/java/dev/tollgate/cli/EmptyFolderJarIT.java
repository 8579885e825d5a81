package dev.tollgate.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.testing.RawClient;
import dev.tollgate.testing.RawUpstream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The jar is self-contained: started in an empty folder with no config, it serves and prices. */
class EmptyFolderJarIT {
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path empty;

  @Test
  void theJarStartedInAnEmptyFolderServesPricesACallAndKeepsItsLedgerUnderData() throws Exception {
    String body =
        "{\"id\":\"chatcmpl-e\",\"object\":\"chat.completion\",\"model\":\"gpt-4o-mini-2024-07-18\","
            + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"hi\"},"
            + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":1000,\"completion_tokens\":500}}";
    try (RawUpstream upstream =
        new RawUpstream(
            c -> {
              c.readRequest();
              c.writeJson("200 OK", body);
            })) {
      int port = ServeJarIT.freePort();
      int admin = ServeJarIT.freePort();
      ProcessBuilder pb =
          new ProcessBuilder(
                  List.of(
                      Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                      "-jar",
                      ServeJarIT.JAR.toAbsolutePath().toString()))
              .directory(empty.toFile())
              .redirectOutput(empty.resolve("stdout.txt").toFile())
              .redirectError(empty.resolve("stderr.txt").toFile());
      pb.environment().remove("TOLLGATE_DATA_DIR");
      pb.environment().put("TOLLGATE_PORT", "" + port);
      pb.environment().put("TOLLGATE_ADMIN_PORT", "" + admin);
      pb.environment().put("TOLLGATE_UPSTREAM_URL", upstream.baseUrl());
      Process p = pb.start();
      try {
        HttpClient http = HttpClient.newHttpClient();
        URI calls = URI.create("http://127.0.0.1:" + admin + "/admin/calls");
        ServeJarIT.awaitReady(admin);
        try (RawClient client = new RawClient(port)) {
          String request =
              "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
          String response =
              client
                  .send(
                      "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                          + "Content-Length: "
                          + request.length()
                          + "\r\n\r\n"
                          + request)
                  .readResponse();
          assertThat(response).startsWith("HTTP/1.1 200");
        }
        JsonNode[] call = new JsonNode[1];
        await()
            .atMost(Duration.ofSeconds(10))
            .until(
                () -> {
                  JsonNode c =
                      JSON.readTree(
                              http.send(
                                      HttpRequest.newBuilder(calls).build(),
                                      BodyHandlers.ofString())
                                  .body())
                          .path("calls")
                          .path(0);
                  call[0] = c;
                  return !c.isMissingNode();
                });
        // gpt-4o-mini from the built-in catalog: 1000 x 0.15 + 500 x 0.60 per 1M
        assertThat(call[0].get("status").asText()).isEqualTo("priced");
        assertThat(call[0].get("cost_usd").asText()).isEqualTo("0.00045");
        assertThat(call[0].get("price_version").asText()).isEqualTo("gpt-4o-mini@2024-07-18");
        assertThat(empty.resolve("data/ledger.db")).exists();
      } finally {
        p.destroy();
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
      }
      assertThat(p.exitValue()).isZero();
      assertThat(Files.readString(empty.resolve("stderr.txt"))).doesNotContain("Exception");
    }
  }
}
