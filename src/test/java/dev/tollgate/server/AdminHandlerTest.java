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
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class AdminHandlerTest {
  final HttpClient http = HttpClient.newHttpClient();

  @Test
  void healthAndReadinessAnswerOnTheAdminPort() throws Exception {
    try (TestTollgate tollgate = TestTollgate.start("http://127.0.0.1:9/v1")) {
      var lowerCase =
          http.send(
              HttpRequest.newBuilder(tollgate.adminUri("/admin/calls"))
                  .header("Authorization", "bearer s3cret") // the scheme is case-insensitive
                  .build(),
              BodyHandlers.ofString());
      var tokenCase =
          http.send(
              HttpRequest.newBuilder(tollgate.adminUri("/admin/calls"))
                  .header("Authorization", "Bearer S3CRET") // the token is not
                  .build(),
              BodyHandlers.ofString());
      var health =
          http.send(
              HttpRequest.newBuilder(tollgate.adminUri("/healthz")).build(),
              BodyHandlers.ofString());
      var ready =
          http.send(
              HttpRequest.newBuilder(tollgate.adminUri("/readyz")).build(),
              BodyHandlers.ofString());
      var unknown =
          http.send(
              HttpRequest.newBuilder(tollgate.adminUri("/nope")).build(), BodyHandlers.ofString());
      var onProxyPort =
          http.send(
              HttpRequest.newBuilder(tollgate.uri("/healthz")).build(), BodyHandlers.ofString());

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
      var none =
          http.send(
              HttpRequest.newBuilder(tollgate.adminUri("/admin/calls")).build(),
              BodyHandlers.ofString());
      var wrong =
          http.send(
              HttpRequest.newBuilder(tollgate.adminUri("/admin/calls"))
                  .header("Authorization", "Bearer nope")
                  .build(),
              BodyHandlers.ofString());
      var right =
          http.send(
              HttpRequest.newBuilder(tollgate.adminUri("/admin/calls"))
                  .header("Authorization", "Bearer s3cret")
                  .build(),
              BodyHandlers.ofString());
      var lowerCase =
          http.send(
              HttpRequest.newBuilder(tollgate.adminUri("/admin/calls"))
                  .header("Authorization", "bearer s3cret") // the scheme is case-insensitive
                  .build(),
              BodyHandlers.ofString());
      var tokenCase =
          http.send(
              HttpRequest.newBuilder(tollgate.adminUri("/admin/calls"))
                  .header("Authorization", "Bearer S3CRET") // the token is not
                  .build(),
              BodyHandlers.ofString());
      var health =
          http.send(
              HttpRequest.newBuilder(tollgate.adminUri("/healthz")).build(),
              BodyHandlers.ofString());

      assertThat(none.statusCode()).isEqualTo(401);
      assertThat(none.body()).contains("\"code\":\"invalid_admin_token\"");
      assertThat(wrong.statusCode()).isEqualTo(401);
      assertThat(right.statusCode()).isNotIn(401, 403);
      assertThat(lowerCase.statusCode()).isNotIn(401, 403);
      assertThat(tokenCase.statusCode()).isEqualTo(401);
      assertThat(health.statusCode()).isEqualTo(200);
    }
  }

  @Test
  void withoutATokenOnlyLoopbackClientsMayCallAdminEndpoints() {
    AdminHandler handler =
        new AdminHandler(
            new AdminConfig("0.0.0.0", 8081, Optional.empty()),
            new Traffic(),
            null,
            null,
            null,
            () -> true,
            null,
            Runnable::run);
    FullHttpRequest request =
        new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/admin/calls");

    assertThat(handler.authorize(request, new InetSocketAddress("127.0.0.1", 5000))).isNull();
    assertThat(handler.authorize(request, new InetSocketAddress("::1", 5000))).isNull();
    assertThat(handler.authorize(request, new InetSocketAddress("10.1.2.3", 5000)))
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
            null,
            null,
            healthy::get,
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
