package dev.tollgate.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.attribution.KeyEntry;
import dev.tollgate.attribution.Keys;
import dev.tollgate.testing.RawUpstream;
import dev.tollgate.testing.TestLedgers;
import dev.tollgate.testing.TestTollgate;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 30: with a shared PostgreSQL ledger, virtual keys live in it. A key issued through one
 * replica's admin API works at the other; revoked through the second, it is refused at the first
 * within {@code attribution.keys_sync_interval} (plus one read); {@code keys.yaml} still declares
 * keys, and wins over a stored key of the same name.
 */
class KeysReplicasTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String BODY = "{\"model\":\"gpt-4o-mini\",\"messages\":[]}";
  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  @TempDir Path dir;

  private HttpResponse<String> send(HttpRequest.Builder r) throws Exception {
    return http.send(r.build(), BodyHandlers.ofString());
  }

  private int chat(TestTollgate t, String key) throws Exception {
    return send(HttpRequest.newBuilder(t.uri("/v1/chat/completions"))
            .header("Authorization", "Bearer " + key)
            .POST(HttpRequest.BodyPublishers.ofString(BODY)))
        .statusCode();
  }

  @Test
  void aKeyIssuedAtOneReplicaWorksAtTheOtherAndItsRevocationReachesTheFirst() throws Exception {
    try (TestLedgers ledgers = new TestLedgers();
        RawUpstream upstream =
            new RawUpstream(
                c -> {
                  while (c.readRequest() != null) {
                    c.writeJson("200 OK", "{}");
                  }
                })) {
      String url = ledgers.config("postgres").url().orElseThrow();
      Path keysA = dir.resolve("a-keys.yaml");
      Path keysB = dir.resolve("b-keys.yaml"); // each replica's own copy: nothing shared on disk
      String common =
          "upstream: {api_key: sk-org}\nauth: {mode: virtual_keys}\nledger: {url: '" + url + "'}\n";
      try (TestTollgate a =
              TestTollgate.start(
                  upstream.baseUrl(),
                  common + "attribution: {keys_sync_interval: 200ms, keys_file: '" + keysA + "'}");
          TestTollgate b =
              TestTollgate.start(
                  upstream.baseUrl(),
                  common
                      + "attribution: {keys_sync_interval: 200ms, keys_file: '"
                      + keysB
                      + "'}")) {
        HttpResponse<String> created =
            send(
                HttpRequest.newBuilder(a.adminUri("/admin/keys"))
                    .POST(
                        HttpRequest.BodyPublishers.ofString(
                            "{\"team\":\"search\",\"name\":\"search-ci\"}")));
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        String secret = JSON.readTree(created.body()).get("key").asText();
        assertThat(chat(a, secret)).isEqualTo(200); // in force here when the answer came
        assertThat(Files.exists(keysA)).isFalse(); // kept in the ledger, not in a's file
        await().atMost(Duration.ofSeconds(2)).until(() -> chat(b, secret) == 200);
        JsonNode listed =
            JSON.readTree(send(HttpRequest.newBuilder(b.adminUri("/admin/keys"))).body());
        assertThat(listed.toString()).contains("search-ci").doesNotContain(secret);

        // Revoked through b: refused at a within the interval (200 ms) and one read.
        assertThat(
                send(HttpRequest.newBuilder(b.adminUri("/admin/keys/search-ci")).DELETE())
                    .statusCode())
            .isEqualTo(200);
        assertThat(chat(b, secret)).isEqualTo(401);
        long revoked = System.nanoTime();
        await().atMost(Duration.ofSeconds(2)).until(() -> chat(a, secret) == 401);
        assertThat((System.nanoTime() - revoked) / 1_000_000).isLessThan(1_000);
      }
    }
  }

  @Test
  void theFileWinsOverAStoredKeyOfTheSameName() throws Exception {
    Path file = dir.resolve("keys.yaml");
    Files.writeString(
        file, "- {name: ci, sha256: " + Keys.sha256("tg-file") + ", team: declared}\n");
    Keys fromFile = Keys.load(file);
    Keys merged =
        fromFile.withStored(
            Map.of(
                Keys.sha256("tg-db"),
                new KeyEntry("ci", "usurper", null, null, false, "2026-12-07", null, true),
                Keys.sha256("tg-other"),
                new KeyEntry("other", "ads", null, null, false, "2026-12-07", null, true)));
    assertThat(merged.virtualKey("tg-file").team()).isEqualTo("declared");
    assertThat(merged.virtualKey("tg-db")).isNull();
    assertThat(merged.virtualKey("tg-other").team()).isEqualTo("ads");
  }
}
