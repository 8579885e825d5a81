package dev.tollgate.console;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.config.ConfigLoader;
import dev.tollgate.config.TollgateConfig;
import dev.tollgate.ledger.Database;
import dev.tollgate.ledger.ViewerTokens;
import dev.tollgate.testing.TestTollgate;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 28: the console's sessions over plain HTTP. A sign-in sets an HttpOnly, SameSite=Strict,
 * expiring cookie (Secure behind TLS); a wrong token, a forged cookie or a revoked viewer's session
 * answers 401; an action with the cookie needs the CSRF header; the token never comes back.
 */
class ConsoleSessionTest {
  private static final String ADMIN = "admin-token-for-the-session-test";
  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http = HttpClient.newHttpClient();
  @TempDir Path dir;

  private HttpResponse<String> send(TestTollgate t, HttpRequest.Builder b) throws Exception {
    return http.send(b.build(), BodyHandlers.ofString());
  }

  private HttpRequest.Builder signIn(TestTollgate t, String token) {
    return HttpRequest.newBuilder(t.adminUri("/console/session"))
        .header("content-type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"token\":\"" + token + "\"}"));
  }

  private static String cookie(HttpResponse<?> r) {
    String set = r.headers().firstValue("set-cookie").orElseThrow();
    return set.substring(0, set.indexOf(';'));
  }

  @Test
  void sessionsAreCookiesWithCsrfAndEndWithTheViewer() throws Exception {
    String yaml = "data_dir: '" + dir + "'\nadmin: {token: '" + ADMIN + "'}\n";
    Path config = dir.resolve("tollgate.yaml");
    Files.writeString(config, yaml);
    TollgateConfig c = new ConfigLoader(Map.of()).load(config);
    String viewer;
    try (Database db = Database.open(c.ledger(), c.dataDir())) {
      viewer = new ViewerTokens(db.dataSource()).issue("fin", "search", Instant.now()).token();
    }
    try (TestTollgate t = TestTollgate.start("http://127.0.0.1:9", yaml)) {
      HttpResponse<String> wrong = send(t, signIn(t, "tgv-not-a-token"));
      assertThat(wrong.statusCode()).isEqualTo(401);
      assertThat(wrong.headers().firstValue("set-cookie")).isEmpty();

      HttpResponse<String> admin = send(t, signIn(t, ADMIN));
      assertThat(admin.statusCode()).isEqualTo(200);
      String set = admin.headers().firstValue("set-cookie").orElseThrow();
      assertThat(set)
          .containsIgnoringCase("HttpOnly")
          .contains("SameSite=Strict")
          .contains("Max-Age=28800")
          .doesNotContain("Secure");
      assertThat(admin.body()).doesNotContain(ADMIN);
      String csrf = JSON.readTree(admin.body()).path("csrf").asText();
      assertThat(csrf).isNotBlank();
      String session = cookie(admin);
      assertThat(session).doesNotContain(ADMIN);

      // Behind a TLS-terminating proxy the cookie is Secure.
      HttpResponse<String> tls = send(t, signIn(t, ADMIN).header("X-Forwarded-Proto", "https"));
      assertThat(tls.headers().firstValue("set-cookie").orElseThrow()).contains("Secure");

      // The cookie reads; a forged one does not.
      HttpRequest.Builder whoami = HttpRequest.newBuilder(t.adminUri("/admin/whoami"));
      assertThat(send(t, whoami.copy().header("Cookie", session)).body()).contains("\"admin\"");
      assertThat(send(t, whoami.copy().header("Cookie", session + "x")).statusCode())
          .isEqualTo(401);

      // An action: refused without the CSRF header, or with another; done with it.
      HttpRequest.Builder reprice =
          HttpRequest.newBuilder(
                  t.adminUri("/admin/reprice?from=2026-01-01&to=2026-01-02&dry_run=true"))
              .POST(HttpRequest.BodyPublishers.noBody())
              .header("Cookie", session);
      HttpResponse<String> forged = send(t, reprice.copy());
      assertThat(forged.statusCode()).isEqualTo(403);
      assertThat(JSON.readTree(forged.body()).path("error").path("message").asText())
          .contains("CSRF");
      assertThat(send(t, reprice.copy().header("x-csrf-token", csrf + "0")).statusCode())
          .isEqualTo(403);
      assertThat(send(t, reprice.copy().header("x-csrf-token", csrf)).statusCode()).isEqualTo(200);

      // A viewer's session reads its team, and ends when the viewer is revoked.
      HttpResponse<String> v = send(t, signIn(t, viewer));
      JsonNode who = JSON.readTree(v.body());
      assertThat(who.path("role").asText()).isEqualTo("viewer");
      assertThat(who.path("team").asText()).isEqualTo("search");
      String viewerSession = cookie(v);
      assertThat(send(t, whoami.copy().header("Cookie", viewerSession)).statusCode())
          .isEqualTo(200);
      HttpResponse<String> others =
          send(
              t,
              HttpRequest.newBuilder(t.adminUri("/admin/spend?team=ads"))
                  .header("Cookie", viewerSession));
      assertThat(others.statusCode()).isEqualTo(403);
      assertThat(JSON.readTree(others.body()).path("error").path("code").asText())
          .isEqualTo("viewer_not_allowed");
      try (Database db = Database.open(c.ledger(), c.dataDir())) {
        assertThat(new ViewerTokens(db.dataSource()).revoke("fin", Instant.now())).isTrue();
      }
      assertThat(send(t, whoami.copy().header("Cookie", viewerSession)).statusCode())
          .isEqualTo(401);
      assertThat(
              send(
                      t,
                      HttpRequest.newBuilder(t.adminUri("/admin/spend"))
                          .header("Authorization", "Bearer " + viewer))
                  .statusCode())
          .isEqualTo(401);

      // Signing out clears the cookie.
      HttpResponse<String> out =
          send(
              t,
              HttpRequest.newBuilder(t.adminUri("/console/session"))
                  .DELETE()
                  .header("Cookie", session));
      assertThat(out.headers().firstValue("set-cookie").orElseThrow()).contains("Max-Age=0");
    }
  }
}
