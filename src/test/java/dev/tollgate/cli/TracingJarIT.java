package dev.tollgate.cli;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.github.tomakehurst.wiremock.WireMockServer;
import dev.tollgate.telemetry.OtlpReceiver;
import io.opentelemetry.proto.trace.v1.Span;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 32 through the packaged jar: the standard {@code OTEL_*} variables alone turn traces on and
 * configure them, as they would for any OpenTelemetry SDK.
 */
class TracingJarIT {
  @TempDir Path dir;

  @Test
  void theOtelVariablesAloneSendTheJarsSpansToTheCollector() throws Exception {
    WireMockServer upstream = new WireMockServer(options().dynamicPort());
    upstream.start();
    upstream.stubFor(
        post("/v1/chat/completions")
            .willReturn(
                aResponse()
                    .withHeader("Content-Type", "application/json")
                    .withBody(
                        "{\"id\":\"chatcmpl-1\",\"model\":\"gpt-4o-mini-2024-07-18\",\"choices\":[{"
                            + "\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"ok\"},"
                            + "\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":10,"
                            + "\"completion_tokens\":2,\"total_tokens\":12}}")));
    int port = ServeJarIT.freePort();
    int admin = ServeJarIT.freePort();
    try (OtlpReceiver otlp = new OtlpReceiver()) {
      Process p =
          ServeJarIT.start(
              dir,
              Map.of(
                  "TOLLGATE_PORT",
                  "" + port,
                  "TOLLGATE_ADMIN_PORT",
                  "" + admin,
                  "TOLLGATE_DATA_DIR",
                  dir.resolve("data").toString(),
                  "TOLLGATE_UPSTREAM_URL",
                  upstream.baseUrl() + "/v1",
                  "OTEL_EXPORTER_OTLP_ENDPOINT",
                  otlp.endpoint(),
                  "OTEL_SERVICE_NAME",
                  "tollgate-jar",
                  "OTEL_RESOURCE_ATTRIBUTES",
                  "deployment.environment=ci",
                  "OTEL_BSP_SCHEDULE_DELAY",
                  "100"),
              "--config",
              Path.of("config/tollgate.yaml").toAbsolutePath().toString());
      try {
        ServeJarIT.awaitReady(admin);
        HttpResponse<String> r =
            HttpClient.newHttpClient()
                .send(
                    HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + port + "/v1/chat/completions"))
                        .header("Content-Type", "application/json")
                        .header("Authorization", "Bearer sk-never-on-a-span")
                        .POST(
                            HttpRequest.BodyPublishers.ofString(
                                "{\"model\":\"gpt-4o-mini\",\"messages\":[]}"))
                        .build(),
                    HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(20)).until(() -> otlp.spans().size() >= 2);
        Span server =
            otlp.spans().stream()
                .filter(s -> s.getKind() == Span.SpanKind.SPAN_KIND_SERVER)
                .findFirst()
                .orElseThrow();
        assertThat(OtlpReceiver.attributes(server.getAttributesList()))
            .containsEntry("gen_ai.request.model", "gpt-4o-mini")
            .containsEntry("gen_ai.usage.input_tokens", "10")
            .containsEntry(
                "tollgate.request_id",
                r.headers().firstValue("x-tollgate-request-id").orElseThrow());
        assertThat(otlp.resource())
            .containsEntry("service.name", "tollgate-jar")
            .containsEntry("deployment.environment", "ci");
        assertThat(otlp.spans().toString()).doesNotContain("sk-never-on-a-span");
      } finally {
        p.destroy();
        p.waitFor();
        upstream.stop();
      }
      assertThat(Files.readString(dir.resolve("stdout.txt")))
          .contains("Traces exported over OTLP to " + otlp.endpoint())
          .doesNotContain("sk-never-on-a-span");
    }
  }
}
