package dev.tollgate.server;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.testing.RawUpstream;
import dev.tollgate.testing.TestTollgate;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keys issued and revoked through the admin API are in force as soon as the answer arrives. */
class AdminKeysTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final String BODY = "{\"model\":\"gpt-4o-mini\",\"messages\":[]}";
  final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  @TempDir Path dir;

  HttpResponse<String> send(HttpRequest.Builder r) throws Exception {
    return http.send(r.build(), BodyHandlers.ofString());
  }

  int chat(TestTollgate t, String key) throws Exception {
    return send(HttpRequest.newBuilder(t.uri("/v1/chat/completions"))
            .header("Authorization", "Bearer " + key)
            .POST(HttpRequest.BodyPublishers.ofString(BODY)))
        .statusCode();
  }

  @Test
  void aKeyIssuedByPostWorksAtOnceAndStopsAtOnceWhenDeleted() throws Exception {
    Path keys = dir.resolve("keys.yaml");
    Files.writeString(keys, "# operator's notes stay\n");
    try (RawUpstream upstream =
            new RawUpstream(
                c -> {
                  while (c.readRequest() != null) {
                    c.writeJson("200 OK", "{}");
                  }
                });
        TestTollgate t =
            TestTollgate.start(
                upstream.baseUrl(),
                "upstream: {api_key: sk-org}\nauth: {mode: virtual_keys}\n"
                    + "attribution: {keys_file: '"
                    + keys
                    + "'}")) {
      HttpResponse<String> created =
          send(
              HttpRequest.newBuilder(t.adminUri("/admin/keys"))
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"team\":\"search\",\"project\":\"ranking\",\"name\":\"search-ci\","
                              + "\"expires\":\"30d\"}")));
      assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
      JsonNode issued = JSON.readTree(created.body());
      String secret = issued.get("key").asText();
      assertThat(secret).startsWith("tg-");
      assertThat(issued.get("name").asText()).isEqualTo("search-ci");
      assertThat(issued.get("state").asText()).isEqualTo("active");
      assertThat(issued.get("expires").asText()).isNotEmpty();
      assertThat(Files.readString(keys))
          .startsWith("# operator's notes stay\n")
          .doesNotContain(secret);

      assertThat(chat(t, secret)).isEqualTo(200); // no wait for the file poller

      // The same name twice is refused: revoking by name must name one key.
      HttpResponse<String> again =
          send(
              HttpRequest.newBuilder(t.adminUri("/admin/keys"))
                  .POST(
                      HttpRequest.BodyPublishers.ofString(
                          "{\"team\":\"ads\",\"name\":\"search-ci\"}")));
      assertThat(again.statusCode()).isEqualTo(409);
      assertThat(again.body()).contains("\"code\":\"key_name_taken\"");

      HttpResponse<String> list = send(HttpRequest.newBuilder(t.adminUri("/admin/keys")).GET());
      JsonNode listed = JSON.readTree(list.body()).get("keys");
      assertThat(listed).hasSize(1);
      assertThat(listed.get(0).get("team").asText()).isEqualTo("search");
      assertThat(list.body()).doesNotContain(secret).doesNotContain("sha256");

      HttpResponse<String> revoked =
          send(HttpRequest.newBuilder(t.adminUri("/admin/keys/search-ci")).DELETE());
      assertThat(revoked.statusCode()).as(revoked.body()).isEqualTo(200);
      assertThat(chat(t, secret)).isEqualTo(401);
      assertThat(Files.readString(keys)).startsWith("# operator's notes stay\n");

      HttpResponse<String> unknown =
          send(HttpRequest.newBuilder(t.adminUri("/admin/keys/nobody")).DELETE());
      assertThat(unknown.statusCode()).isEqualTo(404);
      assertThat(unknown.body()).contains("\"code\":\"key_not_found\"");

      HttpResponse<String> noTeam =
          send(
              HttpRequest.newBuilder(t.adminUri("/admin/keys"))
                  .POST(HttpRequest.BodyPublishers.ofString("{\"name\":\"x\"}")));
      assertThat(noTeam.statusCode()).isEqualTo(400);
      assertThat(noTeam.body()).contains("\"param\":\"team\"");
    }
  }
}
