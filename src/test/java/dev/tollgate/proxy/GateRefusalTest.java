package dev.tollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.attribution.Keys;
import dev.tollgate.testing.LogLines;
import dev.tollgate.testing.RawClient;
import dev.tollgate.testing.RawUpstream;
import dev.tollgate.testing.TestTollgate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Requests the gate refuses on their head: each gets an answer in the OpenAI error shape with a
 * request id and an access line, and nothing a client sent as a key reaches a log or the upstream.
 */
class GateRefusalTest {
  private static final String KEY = "tg-0123456789abcdef0123456789abcdef";
  private static final String BODY = "{\"model\":\"gpt-4o-mini\",\"messages\":[]}";
  @TempDir Path dir;

  @ParameterizedTest(name = "Content-Length: {0}")
  @ValueSource(strings = {"abc", "-1", "1, 2", "99999999999999999999999"})
  void aMalformedContentLengthIs400WithARequestIdAndAnAccessLine(String length) throws Exception {
    try (RawUpstream upstream = new RawUpstream(c -> c.readRequest());
        TestTollgate t = TestTollgate.start(upstream.baseUrl());
        LogLines access = LogLines.access();
        RawClient c = new RawClient(t.port())) {
      String answer =
          c.send(
                  "POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Length: "
                      + length
                      + "\r\n\r\n"
                      + BODY)
              .readResponse();
      assertThat(answer)
          .startsWith("HTTP/1.1 400")
          .containsIgnoringCase("x-tollgate-request-id:")
          .contains("\"type\":\"invalid_request_error\"");
      await()
          .until(
              () ->
                  access.formatted().stream()
                      .anyMatch(
                          l -> l.contains("status=400") && l.contains("outcome=bad_request")));
      assertThat(upstream.connections()).isZero();
    }
  }

  @Test
  void aGeminiKeyInTheQueryReachesNoLogWhenTheRequestIsRefused() throws Exception {
    String secret = "AIzaSyDEADBEEF0123456789";
    try (RawUpstream upstream = new RawUpstream(c -> c.readRequest());
        TestTollgate t = TestTollgate.start(upstream.baseUrl(), "server: {max_header_size: 2KiB}");
        LogLines all = new LogLines("ROOT")) {
      String path = "/gemini/v1beta/models/gemini-2.5-flash:generateContent?key=" + secret;
      try (RawClient c = new RawClient(t.port())) {
        String tooBig = "GET " + path + " HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(4096);
        assertThat(c.send(tooBig + "\r\n\r\n").readResponse()).startsWith("HTTP/1.1 431");
      }
      try (RawClient c = new RawClient(t.port())) {
        String badTarget = "GET http://x?key=" + secret + " HTTP/1.1\r\nHost: x\r\n\r\n";
        assertThat(c.send(badTarget).readResponse()).startsWith("HTTP/1.1 400");
      }
      try (RawClient c = new RawClient(t.port())) {
        String badPath = "GET /v1/%zz?key=" + secret + " HTTP/1.1\r\nHost: x\r\n\r\n";
        assertThat(c.send(badPath).readResponse()).startsWith("HTTP/1.1 400");
      }
      try (RawClient c = new RawClient(t.port())) {
        String unknown = "GET /v2/models?key=" + secret + " HTTP/1.1\r\nHost: x\r\n\r\n";
        assertThat(c.send(unknown).readResponse()).startsWith("HTTP/1.1 404");
      }
      await().until(() -> all.formatted().stream().filter(l -> l.contains("status=")).count() >= 4);
      assertThat(all.all()).doesNotContain(secret).doesNotContain("key=");
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "x-api-key: " + KEY,
        "api-key: " + KEY,
        "x-goog-api-key: " + KEY,
        "Authorization: Bearer sk-mine\r\nx-api-key: " + KEY,
        "?key=" + KEY
      })
  void aVirtualKeyInAnyProvidersHeaderNeverLeavesTollgate(String where) throws Exception {
    Path keys = dir.resolve("keys.yaml");
    Files.writeString(keys, "- {name: ci, sha256: " + Keys.sha256(KEY) + ", team: search}\n");
    List<String> heads = new CopyOnWriteArrayList<>();
    try (RawUpstream upstream =
            new RawUpstream(
                c -> {
                  RawUpstream.Request r;
                  while ((r = c.readRequest()) != null) {
                    heads.add(r.head());
                    c.writeJson("200 OK", "{}");
                  }
                });
        TestTollgate t =
            TestTollgate.start(
                upstream.baseUrl(),
                "upstream: {api_key: sk-org}\nauth: {allow_shared_key: true}\n"
                    + "attribution: {keys_file: '"
                    + keys
                    + "'}");
        RawClient c = new RawClient(t.port())) {
      boolean inQuery = where.startsWith("?");
      String answer =
          c.send(
                  "POST /v1/chat/completions"
                      + (inQuery ? where + "&alt=sse" : "")
                      + " HTTP/1.1\r\nHost: x\r\n"
                      + (inQuery ? "" : where + "\r\n")
                      + "Content-Length: "
                      + BODY.length()
                      + "\r\n\r\n"
                      + BODY)
              .readResponse();
      assertThat(answer).startsWith("HTTP/1.1 200");
      assertThat(heads).hasSize(1);
      assertThat(heads.get(0))
          .doesNotContain("tg-")
          .containsIgnoringCase("authorization: Bearer sk-org");
      if (inQuery) {
        assertThat(heads.get(0)).startsWith("POST /v1/chat/completions?alt=sse HTTP/1.1");
      }
      // Charged to the key's team, wherever the key came.
      assertThat(t.awaitCalls(1).get(0).get("team").asText()).isEqualTo("search");
    }
  }
}
