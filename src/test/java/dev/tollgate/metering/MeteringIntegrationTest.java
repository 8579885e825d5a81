package dev.tollgate.metering;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.testing.RawClient;
import dev.tollgate.testing.RawUpstream;
import dev.tollgate.testing.TestTollgate;
import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What gets recorded for each call through the real server: captured, estimated or not billed. */
class MeteringIntegrationTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String SSE_HEAD =
      "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n";
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  @TempDir Path dir;

  static String fixture(String name) throws Exception {
    try (InputStream in = MeteringIntegrationTest.class.getResourceAsStream("/fixtures/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  static String chatRequest(boolean stream) {
    String body =
        "{\"model\":\"gpt-4o-mini\",\"stream\":"
            + stream
            + ",\"messages\":[{\"role\":\"user\",\"content\":\"Tell me about toll gates on old roads.\"}]}";
    return "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
        + body.getBytes(StandardCharsets.UTF_8).length
        + "\r\n\r\n"
        + body;
  }

  JsonNode onlyCall(TestTollgate tollgate) {
    return tollgate.awaitCalls(1).get(0);
  }

  @Test
  void aClientThatLeavesMidStreamStillHasTheBilledUsageCaptured() throws Exception {
    String[] events = fixture("chat-stream-usage.sse").split("(?<=\n\n)");
    try (RawUpstream upstream =
            new RawUpstream(
                c -> {
                  c.readRequest();
                  c.write(SSE_HEAD);
                  for (String e : events) {
                    c.chunk(e);
                    Thread.sleep(60);
                  }
                  c.endChunks();
                });
        TestTollgate tollgate = TestTollgate.start(upstream.baseUrl())) {
      try (RawClient client = new RawClient(tollgate.port())) {
        client.send(chatRequest(true));
        assertThat(client.readHead()).startsWith("HTTP/1.1 200");
        client.readLine();
      } // the client hangs up after the first chunk

      JsonNode call = onlyCall(tollgate);
      assertThat(call.get("status_code").asInt()).isEqualTo(499);
      assertThat(call.get("status").asText()).isEqualTo("priced");
      assertThat(call.at("/tokens/cached_input").asLong()).isEqualTo(1024);
      assertThat(call.get("cost_usd").asText()).isEqualTo("0.0001272");
      assertThat(upstream.errors()).isEmpty(); // the upstream could finish its stream
    }
  }

  @Test
  void aStreamThatEndsWithoutUsageIsEstimatedWithATokenizer() throws Exception {
    try (RawUpstream upstream =
            new RawUpstream(
                c -> {
                  c.readRequest();
                  c.write(SSE_HEAD);
                  c.chunk(fixture("chat-stream-cut.sse"));
                  c.endChunks();
                });
        TestTollgate tollgate = TestTollgate.start(upstream.baseUrl());
        RawClient client = new RawClient(tollgate.port())) {
      client.send(chatRequest(true)).readResponse();

      JsonNode call = onlyCall(tollgate);
      assertThat(call.get("status").asText()).isEqualTo("estimated");
      assertThat(call.get("reasons").get(0).asText()).isEqualTo("usage_missing");
      // "Tell me about toll gates on old roads." is 9 tokens in o200k; "Hello world" is 2.
      assertThat(call.at("/tokens/input").asLong()).isEqualTo(9);
      assertThat(call.at("/tokens/output").asLong()).isEqualTo(2);
      assertThat(call.get("price_version").asText()).isEqualTo("gpt-4o-mini@2024-07-18");
    }
  }

  @Test
  void meteredCallsAskForAnUncompressedResponseAndACompressedOneIsEstimated() throws Exception {
    List<String> heads = new CopyOnWriteArrayList<>();
    try (RawUpstream upstream =
            new RawUpstream(
                c -> {
                  heads.add(c.readRequest().head());
                  c.write(
                      "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: gzip\r\nContent-Length: 4\r\n\r\n\u001f\u008b\u0008\u0000");
                });
        TestTollgate tollgate = TestTollgate.start(upstream.baseUrl());
        RawClient client = new RawClient(tollgate.port())) {
      client
          .send(
              chatRequest(false).replace("Host: x\r\n", "Host: x\r\nAccept-Encoding: gzip, br\r\n"))
          .readResponse();

      assertThat(heads.get(0).toLowerCase())
          .contains("accept-encoding: identity")
          .doesNotContain("gzip");
      assertThat(onlyCall(tollgate).get("status").asText()).isEqualTo("estimated");
    }
  }

  @Test
  void aBackgroundResponseIsBilledOnceWhenItCompletes() throws Exception {
    String queued =
        "{\"id\":\"resp_bg\",\"object\":\"response\",\"status\":\"queued\",\"model\":\"o3-2025-04-16\",\"usage\":null}";
    String done = fixture("responses-o3-flex.json").replace("resp_flex_1", "resp_bg");
    try (RawUpstream upstream =
            new RawUpstream(
                c -> {
                  RawUpstream.Request r;
                  while ((r = c.readRequest()) != null) {
                    String body = r.requestLine().startsWith("POST") ? queued : done;
                    c.writeJson("200 OK", body);
                  }
                });
        TestTollgate tollgate = TestTollgate.start(upstream.baseUrl());
        RawClient client = new RawClient(tollgate.port())) {
      String post = "{\"model\":\"o3\",\"input\":\"x\",\"background\":true}";
      client
          .send(
              "POST /v1/responses HTTP/1.1\r\nHost: x\r\nContent-Length: "
                  + post.length()
                  + "\r\n\r\n"
                  + post)
          .readResponse();
      client.send("GET /v1/responses/resp_bg HTTP/1.1\r\nHost: x\r\n\r\n").readResponse();
      client.send("GET /v1/responses/resp_bg HTTP/1.1\r\nHost: x\r\n\r\n").readResponse();

      List<JsonNode> calls = tollgate.awaitCalls(3); // newest first
      assertThat(calls.get(2).get("reasons").toString()).contains("billed_on_completion");
      assertThat(calls.get(2).get("cost_usd").asText()).isEqualTo("0");
      assertThat(calls.get(1).get("cost_usd").asText()).isEqualTo("0.012");
      assertThat(calls.get(0).get("cost_usd").asText()).isEqualTo("0");
      assertThat(calls.get(0).get("reasons").toString()).contains("already_billed:resp_bg");
    }
  }

  @Test
  void anUpstreamErrorIsRecordedButNotBilled() throws Exception {
    try (RawUpstream upstream =
            new RawUpstream(
                c -> {
                  c.readRequest();
                  String body = fixture("error-429.json");
                  c.writeJson("429 Too Many Requests", body);
                });
        TestTollgate tollgate = TestTollgate.start(upstream.baseUrl());
        RawClient client = new RawClient(tollgate.port())) {
      String response = client.send(chatRequest(false)).readResponse();
      JsonNode call = onlyCall(tollgate);
      assertThat(response).contains("x-tollgate-request-id: " + call.get("id").asText());
      assertThat(call.get("status_code").asInt()).isEqualTo(429);
      assertThat(call.get("cost_usd").asText()).isEqualTo("0");
      assertThat(call.get("reasons").toString()).contains("not_billable");
    }
  }

  @Test
  void theCatalogReloadsWhenItsFileChanges() throws Exception {
    Path catalog = dir.resolve("prices.yaml");
    Files.writeString(
        catalog, "models: {other: {versions: [{from: 2025-01-01, input: 1, output: 1}]}}\n");
    String body = fixture("chat.json").replace("gpt-4o-2024-08-06", "house-model");
    try (RawUpstream upstream =
            new RawUpstream(
                c -> {
                  while (c.readRequest() != null) {
                    c.writeJson("200 OK", body);
                  }
                });
        TestTollgate tollgate =
            TestTollgate.start(
                upstream.baseUrl(),
                "usage: {catalog: '" + catalog + "', catalog_reload_interval: 100ms}");
        RawClient client = new RawClient(tollgate.port())) {
      client.send(chatRequest(false)).readResponse();
      assertThat(onlyCall(tollgate).get("status").asText()).isEqualTo("unpriced");

      Files.writeString(
          catalog,
          "models: {house-model: {versions: [{from: 2025-01-01, input: 1000000, output: 0}]}}\n");
      Files.setLastModifiedTime(
          catalog, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 5000));
      await()
          .atMost(Duration.ofSeconds(5))
          .untilAsserted(
              () -> {
                client.send(chatRequest(false)).readResponse();
                JsonNode latest = tollgate.awaitCalls(2).get(0);
                assertThat(latest.get("status").asText()).isEqualTo("priced");
                assertThat(latest.get("cost_usd").asText())
                    .isEqualTo("19"); // 19 prompt tokens x $1 each
              });

      Files.writeString(catalog, "models: [broken\n");
      Files.setLastModifiedTime(
          catalog, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 10000));
      Thread.sleep(400);
      client.send(chatRequest(false)).readResponse();
      assertThat(tollgate.awaitCalls(3).get(0).get("status").asText())
          .as("a broken file keeps the old catalog")
          .isEqualTo("priced");
    }
  }
}
