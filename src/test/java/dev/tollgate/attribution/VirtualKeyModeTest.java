package dev.tollgate.attribution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.testing.RawClient;
import dev.tollgate.testing.RawUpstream;
import dev.tollgate.testing.TestTollgate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * With {@code auth.mode: virtual_keys}, the organisation's key is spent only for holders of a valid
 * Tollgate key: every other request is refused with 401 before anything is sent upstream.
 */
class VirtualKeyModeTest {
  private static final String KEY = "tg-0123456789abcdef0123456789abcdef";
  private static final String REVOKED = "tg-fedcba9876543210fedcba9876543210";
  private static final String EXPIRED = "tg-expired000000000000000000000000";
  private static final String BODY = "{\"model\":\"gpt-4o-mini\",\"messages\":[]}";
  @TempDir Path dir;

  private String call(String authorizationLine) throws Exception {
    Path keys = dir.resolve("keys.yaml");
    Files.writeString(
        keys,
        "- {name: search-prod, sha256: "
            + Keys.sha256(KEY)
            + ", team: search, expires: 2999-01-01}\n"
            + "- {name: lapsed, sha256: "
            + Keys.sha256(EXPIRED)
            + ", team: ads, expires: 2020-01-01}\n"
            + "- {name: old, sha256: "
            + Keys.sha256(REVOKED)
            + ", team: ads, revoked: true}\n");
    List<String> heads = new CopyOnWriteArrayList<>();
    try (RawUpstream upstream =
            new RawUpstream(
                c -> {
                  RawUpstream.Request r;
                  while ((r = c.readRequest()) != null) {
                    heads.add(r.head());
                    c.write(
                        "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}");
                  }
                });
        TestTollgate t =
            TestTollgate.start(
                upstream.baseUrl(),
                "upstream: {api_key: sk-org}\nauth: {mode: virtual_keys}\n"
                    + "attribution: {keys_file: '"
                    + keys
                    + "'}");
        RawClient client = new RawClient(t.port())) {
      String response =
          client
              .send(
                  "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                      + authorizationLine
                      + "Content-Length: "
                      + BODY.length()
                      + "\r\n\r\n"
                      + BODY)
              .readResponse();
      if (response.startsWith("HTTP/1.1 200")) {
        assertThat(heads).hasSize(1);
        assertThat(heads.get(0).toLowerCase())
            .contains("authorization: bearer sk-org")
            .doesNotContain("tg-");
      } else {
        assertThat(heads).as("a refused request never reaches the upstream").isEmpty();
      }
      return response;
    }
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @ValueSource(
      strings = {
        "",
        "Authorization: Bearer sk-anything\r\n",
        "Authorization: Basic dXNlcjpwYXNz\r\n",
        "Authorization: Bearer\r\n",
        "Authorization: Bearer tg-not-in-keys-file\r\n",
        "Authorization: Bearer " + REVOKED + "\r\n",
        "Authorization: Bearer " + EXPIRED + "\r\n"
      })
  void anythingButAValidTollgateKeyIsRefusedWith401(String authorization) throws Exception {
    String response = call(authorization);
    assertThat(response).startsWith("HTTP/1.1 401");
    // Tollgate's own answers carry a request id too, to find them in the access log.
    assertThat(response).containsPattern("(?i)x-tollgate-request-id: [0-9A-Z]{26}\r\n");
    assertThat(response)
        .contains("\"type\":\"invalid_request_error\"")
        .contains("\"code\":\"invalid_api_key\"");
  }

  @ParameterizedTest
  @ValueSource(strings = {"Bearer ", "bearer "})
  void aValidTollgateKeyIsServedWithTheOrganisationsKey(String scheme) throws Exception {
    assertThat(call("Authorization: " + scheme + KEY + "\r\n")).startsWith("HTTP/1.1 200");
  }
}
