package dev.tollgate.proxy;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.binaryEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import dev.tollgate.testing.RawClient;
import dev.tollgate.testing.TestTollgate;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The real server on loopback against a WireMock upstream: what passes through, and how. */
class ProxyIntegrationTest {
  @RegisterExtension
  static WireMockExtension upstream =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  @RegisterExtension
  static WireMockExtension bystander =
      WireMockExtension.newInstance().options(wireMockConfig().dynamicPort()).build();

  static final String CHAT_BODY =
      "{\"id\":\"chatcmpl-1\",\"object\":\"chat.completion\",\"model\":\"gpt-4o-2024-08-06\","
          + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Hi \\u00e9\"},"
          + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":9,\"completion_tokens\":2,\"total_tokens\":11}}";

  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  TestTollgate tollgate;

  @BeforeEach
  void start() {
    tollgate = TestTollgate.start(upstream.baseUrl() + "/v1");
  }

  @AfterEach
  void stop() {
    tollgate.close();
  }

  @Test
  void aJsonCallPassesThroughByteForByte() throws Exception {
    upstream.stubFor(
        post("/v1/chat/completions")
            .willReturn(
                aResponse()
                    .withStatus(200)
                    .withHeader("Content-Type", "application/json")
                    .withHeader("x-request-id", "req_123")
                    .withHeader("openai-processing-ms", "41")
                    .withHeader("x-ratelimit-remaining-tokens", "29000")
                    .withBody(CHAT_BODY)));
    String request =
        "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"héllo\"}]}";

    HttpResponse<byte[]> r =
        http.send(
            HttpRequest.newBuilder(tollgate.uri("/v1/chat/completions"))
                .header("Content-Type", "application/json")
                .header("Authorization", "Bearer sk-client")
                .header("OpenAI-Organization", "org-1")
                .POST(BodyPublishers.ofString(request))
                .build(),
            BodyHandlers.ofByteArray());

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(new String(r.body(), StandardCharsets.UTF_8)).isEqualTo(CHAT_BODY);
    assertThat(r.headers().firstValue("x-request-id")).contains("req_123");
    assertThat(r.headers().firstValue("openai-processing-ms")).contains("41");
    assertThat(r.headers().firstValue("x-ratelimit-remaining-tokens")).contains("29000");
    upstream.verify(
        postRequestedFor(urlEqualTo("/v1/chat/completions"))
            .withRequestBody(binaryEqualTo(request.getBytes(StandardCharsets.UTF_8)))
            .withHeader("Authorization", equalTo("Bearer sk-client"))
            .withHeader("OpenAI-Organization", equalTo("org-1"))
            .withHeader("Host", equalTo("localhost:" + upstream.getPort())));
  }

  @Test
  void everyMethodPathAndQueryStringIsForwarded() throws Exception {
    upstream.stubFor(
        get("/v1/models?limit=2&order=desc").willReturn(aResponse().withBody("models")));
    upstream.stubFor(delete("/v1/files/file-abc").willReturn(aResponse().withBody("deleted")));

    var list =
        http.send(
            HttpRequest.newBuilder(tollgate.uri("/v1/models?limit=2&order=desc")).build(),
            BodyHandlers.ofString());
    var del =
        http.send(
            HttpRequest.newBuilder(tollgate.uri("/v1/files/file-abc")).DELETE().build(),
            BodyHandlers.ofString());

    assertThat(list.body()).isEqualTo("models");
    assertThat(del.body()).isEqualTo("deleted");
  }

  @Test
  void anUpstreamErrorResponsePassesThroughUntouched() throws Exception {
    String error =
        "{\"error\":{\"message\":\"Rate limit reached for gpt-4o\",\"type\":\"requests\",\"param\":null,\"code\":\"rate_limit_exceeded\"}}";
    upstream.stubFor(
        post("/v1/chat/completions")
            .willReturn(
                aResponse()
                    .withStatus(429)
                    .withHeader("Content-Type", "application/json")
                    .withHeader("retry-after", "7")
                    .withHeader("x-request-id", "req_429")
                    .withBody(error)));

    var r =
        http.send(
            HttpRequest.newBuilder(tollgate.uri("/v1/chat/completions"))
                .POST(BodyPublishers.ofString("{}"))
                .build(),
            BodyHandlers.ofString());

    assertThat(r.statusCode()).isEqualTo(429);
    assertThat(r.body()).isEqualTo(error);
    assertThat(r.headers().firstValue("retry-after")).contains("7");
    assertThat(r.headers().firstValue("x-request-id")).contains("req_429");
  }

  @Test
  void aConfiguredUpstreamKeyReplacesTheClientsKey() throws Exception {
    tollgate.close();
    tollgate =
        TestTollgate.start(
            upstream.baseUrl() + "/v1",
            "upstream: {api_key: sk-tollgate}\nauth: {allow_shared_key: true}");
    upstream.stubFor(any(anyUrl()).willReturn(aResponse().withBody("ok")));

    http.send(
        HttpRequest.newBuilder(tollgate.uri("/v1/models"))
            .header("Authorization", "Bearer sk-client")
            .build(),
        BodyHandlers.ofString());

    upstream.verify(
        getRequestedFor(urlEqualTo("/v1/models"))
            .withHeader("Authorization", equalTo("Bearer sk-tollgate")));
  }

  @Test
  void hopByHopHeadersStayOnTheirHop() throws Exception {
    upstream.stubFor(
        get("/v1/models").willReturn(aResponse().withHeader("X-Upstream", "1").withBody("ok")));
    try (RawClient c = new RawClient(tollgate.port())) {
      String response =
          c.send(
                  "GET /v1/models HTTP/1.1\r\nHost: tollgate\r\nConnection: keep-alive, X-Hop\r\n"
                      + "X-Hop: secret\r\nProxy-Authorization: Basic Zm9v\r\nKeep-Alive: timeout=5\r\n"
                      + "X-End-To-End: kept\r\n\r\n")
              .readResponse();
      assertThat(response).startsWith("HTTP/1.1 200").contains("X-Upstream: 1").endsWith("ok");
    }
    var received = upstream.getAllServeEvents().get(0).getRequest();
    assertThat(received.containsHeader("X-Hop")).isFalse();
    assertThat(received.containsHeader("Proxy-Authorization")).isFalse();
    assertThat(received.containsHeader("Keep-Alive")).isFalse();
    assertThat(received.getHeader("X-End-To-End")).isEqualTo("kept");
  }

  @Test
  void anUnknownRouteIs404InTheOpenAiErrorShape() throws Exception {
    var r =
        http.send(
            HttpRequest.newBuilder(tollgate.uri("/chat/completions")).build(),
            BodyHandlers.ofString());

    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.headers().firstValue("content-type")).contains("application/json");
    assertThat(r.headers().firstValue("x-tollgate-request-id")).get().asString().hasSize(26);
    assertThat(r.body())
        .contains("\"type\":\"invalid_request_error\"")
        .contains("\"param\":null")
        .contains("\"code\":\"unknown_route\"")
        .contains("\"message\":\"Unknown route /chat/completions");
    upstream.verify(0, anyRequestedFor(anyUrl()));
  }

  @Test
  void absoluteFormUrisAndHostHeadersNeverChooseTheUpstream() throws Exception {
    upstream.stubFor(get("/v1/models").willReturn(aResponse().withBody("configured upstream")));
    bystander.stubFor(any(anyUrl()).willReturn(aResponse().withBody("bystander")));
    String elsewhere = "127.0.0.1:" + bystander.getPort();

    try (RawClient c = new RawClient(tollgate.port())) {
      String viaAbsolute =
          c.send(
                  "GET http://"
                      + elsewhere
                      + "/v1/models HTTP/1.1\r\nHost: "
                      + elsewhere
                      + "\r\n\r\n")
              .readResponse();
      String viaHost =
          c.send("GET /v1/models HTTP/1.1\r\nHost: " + elsewhere + "\r\n\r\n").readResponse();
      String connect =
          c.send("CONNECT " + elsewhere + " HTTP/1.1\r\nHost: " + elsewhere + "\r\n\r\n")
              .readResponse();

      assertThat(viaAbsolute).endsWith("configured upstream");
      assertThat(viaHost).endsWith("configured upstream");
      assertThat(connect).startsWith("HTTP/1.1 405").contains("\"code\":\"method_not_allowed\"");
    }
    bystander.verify(0, anyRequestedFor(anyUrl()));
  }

  @Test
  void aBodyOverTheLimitIs413AndNeverReachesTheUpstream() throws Exception {
    tollgate.close();
    tollgate = TestTollgate.start(upstream.baseUrl() + "/v1", "server: {max_request_body: 1KiB}");
    upstream.stubFor(any(anyUrl()).willReturn(aResponse().withBody("ok")));
    byte[] big = new byte[4096];

    var withLength =
        http.send(
            HttpRequest.newBuilder(tollgate.uri("/v1/files"))
                .POST(BodyPublishers.ofByteArray(big))
                .build(),
            BodyHandlers.ofString());
    var chunked =
        http.send(
            HttpRequest.newBuilder(tollgate.uri("/v1/files"))
                .POST(BodyPublishers.ofInputStream(() -> new java.io.ByteArrayInputStream(big)))
                .build(),
            BodyHandlers.ofString());
    var justUnder =
        http.send(
            HttpRequest.newBuilder(tollgate.uri("/v1/files"))
                .POST(BodyPublishers.ofByteArray(new byte[1024]))
                .build(),
            BodyHandlers.ofString());

    for (var r : java.util.List.of(withLength, chunked)) {
      assertThat(r.statusCode()).isEqualTo(413);
      assertThat(r.body())
          .contains("\"code\":\"request_too_large\"")
          .contains("\"type\":\"invalid_request_error\"");
    }
    assertThat(justUnder.statusCode()).isEqualTo(200);
    upstream.verify(1, anyRequestedFor(anyUrl()));
  }

  @Test
  void aKeepAliveConnectionStaysUsableAfterA413() throws Exception {
    tollgate.close();
    tollgate = TestTollgate.start(upstream.baseUrl() + "/v1", "server: {max_request_body: 1KiB}");
    upstream.stubFor(get("/v1/models").willReturn(aResponse().withBody("still here")));
    var access =
        (ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("tollgate.access");
    var lines =
        new ch.qos.logback.core.read.ListAppender<ch.qos.logback.classic.spi.ILoggingEvent>();
    lines.start();
    access.addAppender(lines);
    try (RawClient c = new RawClient(tollgate.port())) {
      String big = "x".repeat(4096);
      String r =
          c.send("POST /v1/files HTTP/1.1\r\nHost: x\r\nContent-Length: 4096\r\n\r\n" + big)
              .readResponse();
      assertThat(r).startsWith("HTTP/1.1 413").doesNotContainIgnoringCase("connection: close");
      java.util.regex.Matcher id =
          java.util.regex.Pattern.compile("(?i)x-tollgate-request-id: ([0-9A-Z]{26})").matcher(r);
      assertThat(id.find()).as(r).isTrue();
      assertThat(c.send("GET /v1/models HTTP/1.1\r\nHost: x\r\n\r\n").readResponse())
          .endsWith("still here");
      // The 413 has its access-log line like any other refusal.
      org.awaitility.Awaitility.await()
          .until(
              () ->
                  lines.list.stream()
                      .anyMatch(
                          e ->
                              e.getFormattedMessage().contains("path=/v1/files")
                                  && e.getFormattedMessage().contains("id=" + id.group(1))
                                  && e.getFormattedMessage().contains("status=413")
                                  && e.getFormattedMessage()
                                      .contains("outcome=request_too_large")));
    } finally {
      access.detachAppender(lines);
    }
    upstream.verify(1, anyRequestedFor(anyUrl()));
  }

  @Test
  void anExpectContinueWithATooLargeLengthIsRefusedBeforeTheBodyIsSent() throws Exception {
    tollgate.close();
    tollgate = TestTollgate.start(upstream.baseUrl() + "/v1", "server: {max_request_body: 1KiB}");
    try (RawClient c = new RawClient(tollgate.port())) {
      String r =
          c.send(
                  "POST /v1/files HTTP/1.1\r\nHost: x\r\nContent-Length: 5000\r\nExpect: 100-continue\r\n\r\n")
              .readResponse();
      assertThat(r).startsWith("HTTP/1.1 413").contains("request_too_large");
    }
    upstream.verify(0, anyRequestedFor(anyUrl()));
  }

  @Test
  void requestHeadersOverTheLimitAre431() throws Exception {
    try (RawClient c = new RawClient(tollgate.port())) {
      String r =
          c.send("GET /v1/models HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n")
              .readResponse();
      assertThat(r).startsWith("HTTP/1.1 431").contains("\"code\":\"headers_too_large\"");
    }
    upstream.verify(0, anyRequestedFor(anyUrl()));
  }

  @Test
  void pipelinedRequestsAreAnsweredInOrder() throws Exception {
    upstream.stubFor(get("/v1/models/a").willReturn(aResponse().withFixedDelay(100).withBody("A")));
    upstream.stubFor(get("/v1/models/b").willReturn(aResponse().withBody("B")));
    try (RawClient c = new RawClient(tollgate.port())) {
      c.send(
          "GET /v1/models/a HTTP/1.1\r\nHost: x\r\n\r\nGET /v1/models/b HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(c.readResponse()).endsWith("A");
      assertThat(c.readResponse()).endsWith("B");
    }
  }
}
