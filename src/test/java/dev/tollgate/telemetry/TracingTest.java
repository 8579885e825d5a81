package dev.tollgate.telemetry;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.tollgate.testing.TestTollgate;
import io.opentelemetry.proto.trace.v1.Span;
import io.opentelemetry.proto.trace.v1.Status;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 32: a call's spans reach an OTLP receiver, in the caller's trace, with its cost. */
class TracingTest {
  static final String TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";
  static final String PARENT = "00f067aa0ba902b7";
  static final String ANSWER =
      """
      {"id":"chatcmpl-42","object":"chat.completion","model":"gpt-4o-mini-2024-07-18",
       "choices":[{"index":0,"message":{"role":"assistant","content":"hi"},"finish_reason":"stop"}],
       "usage":{"prompt_tokens":1200,"completion_tokens":300,"total_tokens":1500,
        "prompt_tokens_details":{"cached_tokens":1024},
        "completion_tokens_details":{"reasoning_tokens":0}}}
      """;
  static final String STREAM =
      "data: {\"id\":\"chatcmpl-7\",\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,"
          + "\"delta\":{\"content\":\"hi\"},\"finish_reason\":null}]}\n\n"
          + "data: {\"id\":\"chatcmpl-7\",\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{\"index\":0,"
          + "\"delta\":{},\"finish_reason\":\"length\"}]}\n\n"
          + "data: {\"id\":\"chatcmpl-7\",\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[],"
          + "\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":5,\"total_tokens\":15}}\n\n"
          + "data: [DONE]\n\n";

  static final String CHAT =
      "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

  final HttpClient http = HttpClient.newHttpClient();
  final WireMockServer upstream = new WireMockServer(options().dynamicPort());
  OtlpReceiver otlp;
  @TempDir Path dir;

  @BeforeEach
  void start() {
    upstream.start();
    upstream.stubFor(
        post("/v1/chat/completions")
            .withRequestBody(
                com.github.tomakehurst.wiremock.client.WireMock.notContaining("\"stream\""))
            .willReturn(
                aResponse().withHeader("Content-Type", "application/json").withBody(ANSWER)));
    upstream.stubFor(
        post("/v1/chat/completions")
            .withRequestBody(
                com.github.tomakehurst.wiremock.client.WireMock.containing("\"stream\""))
            .willReturn(
                aResponse().withHeader("Content-Type", "text/event-stream").withBody(STREAM)));
    otlp = new OtlpReceiver();
  }

  @AfterEach
  void stop() {
    upstream.stop();
    otlp.close();
  }

  String tracing() {
    return "telemetry: {traces: true, endpoint: '"
        + otlp.endpoint()
        + "', export_interval: 100ms, service_name: tollgate-test}\n";
  }

  HttpResponse<String> call(TestTollgate t, String body, Map<String, String> headers)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(t.uri("/v1/chat/completions"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    headers.forEach(b::header);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The {@code traceparent} the upstream got with the first call. */
  String sentTraceparent() {
    return upstream
        .findAll(postRequestedFor(urlEqualTo("/v1/chat/completions")))
        .get(0)
        .getHeader("traceparent");
  }

  List<Span> awaitSpans(int n) {
    await().atMost(Duration.ofSeconds(15)).until(() -> otlp.spans().size() >= n);
    return otlp.spans();
  }

  static Span named(List<Span> spans, Span.SpanKind kind) {
    return spans.stream().filter(s -> s.getKind() == kind).findFirst().orElseThrow();
  }

  @Test
  void aCallJoinsTheCallersTraceAndItsUpstreamHopReachesTheUpstreamWithTheLedgersCost()
      throws Exception {
    try (TestTollgate t = TestTollgate.start(upstream.baseUrl() + "/v1", tracing())) {
      HttpResponse<String> r =
          call(
              t,
              CHAT,
              Map.of(
                  "traceparent", "00-" + TRACE + "-" + PARENT + "-01",
                  "tracestate", "vendor=abc",
                  "X-Tollgate-Team", "search",
                  "X-Tollgate-Project", "ranking"));
      assertThat(r.statusCode()).isEqualTo(200);
      String requestId = r.headers().firstValue("x-tollgate-request-id").orElseThrow();
      JsonNode row = t.awaitCalls(1).get(0);
      List<Span> spans = awaitSpans(2);

      Span server = named(spans, Span.SpanKind.SPAN_KIND_SERVER);
      Span client = named(spans, Span.SpanKind.SPAN_KIND_CLIENT);
      assertThat(OtlpReceiver.hex(server.getTraceId())).isEqualTo(TRACE);
      assertThat(OtlpReceiver.hex(server.getParentSpanId())).isEqualTo(PARENT);
      assertThat(server.getTraceState()).isEqualTo("vendor=abc");
      assertThat(server.getName()).isEqualTo("chat gpt-4o-mini");
      assertThat(OtlpReceiver.hex(client.getTraceId())).isEqualTo(TRACE);
      assertThat(client.getParentSpanId()).isEqualTo(server.getSpanId());
      // The upstream was told the client span is its parent, and not the caller's span.
      String sent = sentTraceparent();
      assertThat(sent)
          .isEqualTo("00-" + TRACE + "-" + OtlpReceiver.hex(client.getSpanId()) + "-01");
      assertThat(client.getStartTimeUnixNano())
          .isGreaterThanOrEqualTo(server.getStartTimeUnixNano());
      assertThat(client.getEndTimeUnixNano()).isLessThanOrEqualTo(server.getEndTimeUnixNano());

      Map<String, String> a = OtlpReceiver.attributes(server.getAttributesList());
      assertThat(a)
          .containsEntry("gen_ai.operation.name", "chat")
          .containsEntry("gen_ai.provider.name", "openai")
          .containsEntry("gen_ai.request.model", "gpt-4o-mini")
          .containsEntry("gen_ai.response.model", "gpt-4o-mini-2024-07-18")
          .containsEntry("gen_ai.response.id", "chatcmpl-42")
          .containsEntry("gen_ai.response.finish_reasons", "stop")
          .containsEntry("gen_ai.usage.input_tokens", "1200")
          .containsEntry("gen_ai.usage.output_tokens", "300")
          .containsEntry("tollgate.usage.cached_input_tokens", "1024")
          .doesNotContainKey("tollgate.usage.reasoning_tokens") // none: absent, not 0
          .containsEntry("tollgate.cost.usd", row.get("cost_usd").asText())
          .containsEntry("tollgate.pricing.status", row.get("status").asText())
          .containsEntry("tollgate.price_version", row.get("price_version").asText())
          .containsEntry("tollgate.team", "search")
          .containsEntry("tollgate.project", "ranking")
          .containsEntry("tollgate.request_id", requestId)
          .containsEntry("http.response.status_code", "200");
      assertThat(Double.parseDouble(a.get("tollgate.cost.usd_double")))
          .isEqualTo(row.get("cost_usd").asDouble());
      assertThat(row.get("cost_usd").asText()).isNotEqualTo("0");
      assertThat(server.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_UNSET);
      assertThat(otlp.resource()).containsEntry("service.name", "tollgate-test");
      // No credential or text of the call is on a span.
      assertThat(server.toString() + client).doesNotContain("hi\"").doesNotContain("Bearer");
    }
  }

  @Test
  void contentIsRecordedOnlyWhenAskedForAndCutToSize() throws Exception {
    String yaml =
        "telemetry: {traces: true, capture_content: true, max_content_chars: 40, export_interval:"
            + " 100ms, endpoint: '"
            + otlp.endpoint()
            + "'}\n";
    try (TestTollgate t = TestTollgate.start(upstream.baseUrl() + "/v1", yaml)) {
      String body =
          "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"what is"
              + " the capital of France? answer briefly\"}]}";
      call(t, body, Map.of("Authorization", "Bearer sk-secret-key"));
      Span server = named(awaitSpans(2), Span.SpanKind.SPAN_KIND_SERVER);
      Map<String, String> a = OtlpReceiver.attributes(server.getAttributesList());
      assertThat(a.get("tollgate.content.request")).isEqualTo(body.substring(0, 40));
      assertThat(a.get("tollgate.content.completion")).isEqualTo("hi");
      assertThat(server.toString()).doesNotContain("sk-secret-key");
    }
  }

  @Test
  void aStreamedCallCarriesTheFirstTokenEventAndAnUnparentedCallStartsATrace() throws Exception {
    try (TestTollgate t = TestTollgate.start(upstream.baseUrl() + "/v1", tracing())) {
      HttpResponse<String> r =
          call(
              t,
              "{\"model\":\"gpt-4o-mini\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
              Map.of());
      assertThat(r.statusCode()).isEqualTo(200);
      Span server = named(awaitSpans(2), Span.SpanKind.SPAN_KIND_SERVER);
      assertThat(server.getParentSpanId().isEmpty()).isTrue();
      assertThat(server.getEventsList())
          .anySatisfy(
              e -> {
                assertThat(e.getName()).isEqualTo("gen_ai.first_token");
                assertThat(e.getTimeUnixNano())
                    .isBetween(server.getStartTimeUnixNano(), server.getEndTimeUnixNano());
              });
      assertThat(OtlpReceiver.attributes(server.getAttributesList()))
          .containsEntry("gen_ai.response.finish_reasons", "length")
          .containsEntry("gen_ai.usage.output_tokens", "5");
      String sent = sentTraceparent();
      assertThat(sent).startsWith("00-" + OtlpReceiver.hex(server.getTraceId()) + "-");
    }
  }

  @Test
  void aBudgetRefusalIsAnErrorSpanNamingItsCode() throws Exception {
    Path budgets = dir.resolve("budgets.yaml");
    Files.writeString(
        budgets, "- {name: tiny, scope: 'team:capped', limit_usd: 0.000001, period: month}\n");
    String yaml = tracing() + "budgets: {file: '" + budgets + "'}\n";
    try (TestTollgate t = TestTollgate.start(upstream.baseUrl() + "/v1", yaml)) {
      HttpResponse<String> r =
          call(
              t,
              "{\"model\":\"gpt-4o-mini\",\"max_tokens\":4000,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}",
              Map.of(
                  "X-Tollgate-Team",
                  "capped",
                  "traceparent",
                  "00-" + TRACE + "-" + PARENT + "-01"));
      assertThat(r.statusCode()).isEqualTo(429);
      Span span = awaitSpans(1).get(0);
      assertThat(span.getKind()).isEqualTo(Span.SpanKind.SPAN_KIND_SERVER);
      assertThat(OtlpReceiver.hex(span.getTraceId())).isEqualTo(TRACE);
      assertThat(span.getStatus().getCode()).isEqualTo(Status.StatusCode.STATUS_CODE_ERROR);
      assertThat(span.getStatus().getMessage()).isEqualTo("budget_exceeded");
      assertThat(OtlpReceiver.attributes(span.getAttributesList()))
          .containsEntry("error.type", "budget_exceeded")
          .containsEntry("http.response.status_code", "429")
          .containsEntry("tollgate.team", "capped");
      assertThat(upstream.getAllServeEvents()).isEmpty();
    }
  }

  @Test
  void withTracingOffNothingIsSentAndTheCallersTraceparentGoesUpstreamAsItCame() throws Exception {
    String yaml = "telemetry: {endpoint: '" + otlp.endpoint() + "', export_interval: 100ms}\n";
    try (TestTollgate t = TestTollgate.start(upstream.baseUrl() + "/v1", yaml)) {
      String parent = "00-" + TRACE + "-" + PARENT + "-01";
      call(t, CHAT, Map.of("traceparent", parent));
      t.awaitCalls(1);
      Thread.sleep(500); // five export intervals: a span would have been sent by now
      assertThat(otlp.requests()).isZero();
      assertThat(sentTraceparent()).isEqualTo(parent);
    }
  }

  @Test
  void aSamplerThatLeavesCallsOutSendsNoSpanAndLeavesTheHeaderAlone() throws Exception {
    String yaml =
        "telemetry: {traces: true, sampler: always_off, endpoint: '"
            + otlp.endpoint()
            + "', export_interval: 100ms}\n";
    try (TestTollgate t = TestTollgate.start(upstream.baseUrl() + "/v1", yaml)) {
      call(t, CHAT, Map.of());
      t.awaitCalls(1);
      Thread.sleep(500);
      assertThat(otlp.spans()).isEmpty();
      assertThat(sentTraceparent()).isNull();
    }
  }

  @Test
  void metricsArePushedOverOtlpWithTheScrapesNamesWhenAskedFor() throws Exception {
    String yaml =
        "telemetry: {metrics: true, metrics_interval: 200ms, endpoint: '"
            + otlp.endpoint()
            + "'}\n";
    try (TestTollgate t = TestTollgate.start(upstream.baseUrl() + "/v1", yaml)) {
      call(t, CHAT, Map.of("X-Tollgate-Team", "search"));
      t.awaitCalls(1);
      await()
          .atMost(Duration.ofSeconds(15))
          .until(() -> otlp.metricNames().contains("tollgate.cost.usd"));
      assertThat(otlp.metricNames())
          .contains("tollgate.requests", "gen_ai.client.operation.duration");
      assertThat(otlp.spans()).isEmpty(); // metrics alone: no traces
      // The scrape is still there, with the same meters.
      String scrape =
          http.send(
                  HttpRequest.newBuilder(t.adminUri("/metrics")).build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      assertThat(scrape).contains("tollgate_cost_usd_total");
    }
  }

  @Test
  void spansThatFindTheQueueFullAreDroppedCountedAndNeverHoldUpACall() throws Exception {
    // A collector that takes the connection and never answers: the one export in flight waits,
    // the queue of one fills, and every further span is dropped.
    try (java.net.ServerSocket silent = new java.net.ServerSocket(0)) {
      List<java.net.Socket> held = new java.util.concurrent.CopyOnWriteArrayList<>();
      Thread acceptor =
          new Thread(
              () -> {
                try {
                  while (true) {
                    held.add(silent.accept());
                  }
                } catch (java.io.IOException closed) {
                  // the test is over
                }
              });
      acceptor.setDaemon(true);
      acceptor.start();
      String yaml =
          "telemetry: {traces: true, max_queue: 1, export_interval: 10ms, endpoint: 'http://127.0.0.1:"
              + silent.getLocalPort()
              + "'}\n";
      try (TestTollgate t = TestTollgate.start(upstream.baseUrl() + "/v1", yaml)) {
        for (int i = 0; i < 20; i++) {
          HttpResponse<String> r = call(t, CHAT, Map.of());
          assertThat(r.statusCode()).isEqualTo(200);
        }
        t.awaitCalls(20);
        await()
            .atMost(Duration.ofSeconds(10))
            .until(() -> dropped(t) >= 20); // 40 spans, at most a few queued or in flight
      }
      for (java.net.Socket s : held) {
        s.close();
      }
    }
  }

  double dropped(TestTollgate t) throws Exception {
    String scrape =
        http.send(
                HttpRequest.newBuilder(t.adminUri("/metrics")).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    for (String line : scrape.split("\n")) {
      if (line.startsWith("tollgate_trace_spans_dropped_total")) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return -1;
  }

  @Test
  void aSettingTheSdkRefusesStopsStartUpWithOneLineNamingIt() {
    for (String bad :
        List.of(
            "telemetry: {traces: true, sampler: sometimes}",
            "telemetry: {traces: true, protocol: carrier-pigeon}")) {
      assertThatThrownBy(() -> TestTollgate.start(upstream.baseUrl() + "/v1", bad).close())
          .as(bad)
          .isInstanceOf(dev.tollgate.config.ConfigException.class)
          .hasMessageStartingWith("telemetry (or its OTEL_* variables): ")
          .hasMessageContaining(bad.contains("sampler") ? "sometimes" : "carrier-pigeon");
    }
  }
}
