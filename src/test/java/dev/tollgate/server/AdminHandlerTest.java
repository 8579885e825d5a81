package dev.tollgate.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.config.AdminConfig;
import dev.tollgate.errors.Failure;
import dev.tollgate.proxy.Traffic;
import dev.tollgate.testing.TestTollgate;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AdminHandlerTest {
  final HttpClient http = HttpClient.newHttpClient();

  /** A GET, with {@code authorization} as its Authorization header unless it is null. */
  private HttpResponse<String> get(URI uri, String authorization) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri);
    if (authorization != null) {
      request.header("Authorization", authorization);
    }
    return http.send(request.build(), BodyHandlers.ofString());
  }

  @Test
  void healthAndReadinessAnswerOnTheAdminPort() throws Exception {
    try (TestTollgate tollgate = TestTollgate.start("http://127.0.0.1:9/v1")) {
      var health = get(tollgate.adminUri("/healthz"), null);
      var ready = get(tollgate.adminUri("/readyz"), null);
      var unknown = get(tollgate.adminUri("/nope"), null);
      var onProxyPort = get(tollgate.uri("/healthz"), null);

      assertThat(health.statusCode()).isEqualTo(200);
      assertThat(health.body()).isEqualTo("{\"status\":\"ok\"}");
      assertThat(ready.statusCode()).isEqualTo(200);
      assertThat(unknown.statusCode()).isEqualTo(404);
      assertThat(unknown.body())
          .contains("\"error\"")
          .contains("\"type\":\"invalid_request_error\"");
      assertThat(onProxyPort.statusCode()).isEqualTo(404);
    }
  }

  @Test
  void adminCallsNeedTheTokenWhenOneIsSet() throws Exception {
    try (TestTollgate tollgate =
        TestTollgate.start("http://127.0.0.1:9/v1", "admin: {token: s3cret}")) {
      URI calls = tollgate.adminUri("/admin/calls");
      var none = get(calls, null);
      var wrong = get(calls, "Bearer nope");
      var right = get(calls, "Bearer s3cret");
      var lowerCase = get(calls, "bearer s3cret"); // the scheme is case-insensitive
      var tokenCase = get(calls, "Bearer S3CRET"); // the token is not
      var health = get(tollgate.adminUri("/healthz"), null);

      assertThat(none.statusCode()).isEqualTo(401);
      assertThat(none.body()).contains("\"code\":\"invalid_admin_token\"");
      // Every answer carries a request id, refusals included.
      for (var r : java.util.List.of(none, wrong, right, health)) {
        assertThat(r.headers().firstValue("x-tollgate-request-id"))
            .as(r.uri().toString())
            .isPresent();
      }
      assertThat(wrong.statusCode()).isEqualTo(401);
      assertThat(right.statusCode()).isNotIn(401, 403);
      assertThat(lowerCase.statusCode()).isNotIn(401, 403);
      assertThat(tokenCase.statusCode()).isEqualTo(401);
      assertThat(health.statusCode()).isEqualTo(200);
    }
  }

  @Test
  void withoutATokenOnlyLoopbackClientsMayCallAdminEndpoints() throws Exception {
    AdminAuth auth =
        new AdminAuth(
            new AdminConfig("0.0.0.0", 8081, Optional.empty()),
            null,
            new dev.tollgate.console.Sessions(
                Optional.empty(), Optional.empty(), java.time.Duration.ofHours(1)),
            java.time.Clock.systemUTC());
    FullHttpRequest request =
        new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/admin/calls");

    assertThat(auth.check(request, new InetSocketAddress("127.0.0.1", 5000)).ok()).isTrue();
    assertThat(auth.check(request, new InetSocketAddress("::1", 5000)).ok()).isTrue();
    assertThat(auth.check(request, new InetSocketAddress("10.1.2.3", 5000)).failure())
        .isEqualTo(Failure.FORBIDDEN);
    request.release();
  }

  @Test
  void readinessTurnsRedWhileTheLedgerWriterIsDeadOrStuck() {
    java.util.concurrent.atomic.AtomicBoolean healthy =
        new java.util.concurrent.atomic.AtomicBoolean(true);
    AdminHandler handler =
        new AdminHandler(
            new AdminConfig("127.0.0.1", 8081, Optional.empty()),
            new Traffic(),
            null,
            healthy::get,
            null,
            null,
            Runnable::run);
    io.netty.channel.embedded.EmbeddedChannel admin =
        new io.netty.channel.embedded.EmbeddedChannel(handler);
    admin.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/readyz"));
    io.netty.handler.codec.http.FullHttpResponse ready = admin.readOutbound();
    assertThat(ready.status().code()).isEqualTo(200);
    ready.release();

    healthy.set(false);
    admin.writeInbound(new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/readyz"));
    io.netty.handler.codec.http.FullHttpResponse stalled = admin.readOutbound();
    assertThat(stalled.status().code()).isEqualTo(503);
    assertThat(stalled.content().toString(java.nio.charset.StandardCharsets.UTF_8))
        .contains("ledger_writer_stalled");
    stalled.release();
    admin.finishAndReleaseAll();
  }

  @Test
  void anIdleAdminConnectionIsClosed() throws Exception {
    try (TestTollgate tollgate =
            TestTollgate.start("http://127.0.0.1:9/v1", "admin: {idle_timeout: 300ms}");
        java.net.Socket s = new java.net.Socket("127.0.0.1", tollgate.adminPort())) {
      s.setSoTimeout(5_000);
      long start = System.nanoTime();
      assertThat(s.getInputStream().read()).isEqualTo(-1); // closed by Tollgate, nothing sent
      assertThat(System.nanoTime() - start).isLessThan(4_000_000_000L);
    }
  }
}
