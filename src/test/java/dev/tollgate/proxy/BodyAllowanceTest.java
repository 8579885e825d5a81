package dev.tollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.attribution.Keys;
import dev.tollgate.testing.RawClient;
import dev.tollgate.testing.RawUpstream;
import dev.tollgate.testing.TestTollgate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Request bodies are held by the bytes that actually arrived, never by a declared length, and each
 * kind of holder has its own cap: callers Tollgate cannot tell apart cannot take the room of one
 * with a key it knows, and one connection or one key cannot take everyone's.
 */
class BodyAllowanceTest {
  private static final String KEY = "tg-0123456789abcdef0123456789abcdef";
  @TempDir Path dir;

  private static String head(int length, String extra) {
    return "POST /v1/files HTTP/1.1\r\nHost: x\r\nContent-Type: application/octet-stream\r\n"
        + extra
        + "Content-Length: "
        + length
        + "\r\n\r\n";
  }

  private static RawUpstream upstream(AtomicInteger served) throws Exception {
    return new RawUpstream(
        c -> {
          while (c.readRequest() != null) {
            served.incrementAndGet();
            c.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
          }
        });
  }

  @Test
  void sixteenKeylessConnectionsDeclaringThirtyTwoMegabytesHoldSixteenBytes() throws Exception {
    // The attack on the default limits: 16 x 32 MiB declared was all of the 512 MiB, so every
    // other POST got 503 until the read timeout cut the attackers.
    AtomicInteger served = new AtomicInteger();
    List<RawClient> parked = new ArrayList<>();
    try (RawUpstream upstream = upstream(served);
        TestTollgate t = TestTollgate.start(upstream.baseUrl(), "");
        RawClient caller = new RawClient(t.port())) {
      for (int i = 0; i < 16; i++) {
        parked.add(new RawClient(t.port()).send(head(32 << 20, "") + "x"));
      }
      await().atMost(Duration.ofSeconds(5)).until(() -> t.server().bodies().held() == 16);

      assertThat(caller.send(head(2, "") + "ok").readResponse()).startsWith("HTTP/1.1 200");
      assertThat(served.get()).isOne();
    } finally {
      for (RawClient c : parked) {
        c.close();
      }
    }
  }

  @Test
  void unauthenticatedBodiesCannotTakeTheRoomOfACallerWithAKnownKey() throws Exception {
    Path keys = dir.resolve("keys.yaml");
    Files.writeString(keys, "- {name: ci, sha256: " + Keys.sha256(KEY) + ", team: search}\n");
    AtomicInteger served = new AtomicInteger();
    String body = "x".repeat(40 * 1024);
    try (RawUpstream upstream = upstream(served);
        TestTollgate t =
            TestTollgate.start(
                upstream.baseUrl(),
                "upstream: {api_key: sk-org}\n"
                    + "auth: {allow_shared_key: true}\n"
                    + "attribution: {keys_file: '"
                    + keys
                    + "'}\n"
                    + "server: {max_request_body: 48KiB, max_buffered_request_bytes: 128KiB,"
                    + " max_unauthenticated_request_bytes: 64KiB, max_connection_request_bytes:"
                    + " 64KiB, max_key_request_bytes: 64KiB}");
        RawClient anonymous = new RawClient(t.port());
        RawClient unmapped = new RawClient(t.port());
        RawClient known = new RawClient(t.port())) {
      // 40 KiB really sent of 48 declared, and parked: the unauthenticated room is 64 KiB.
      anonymous.send(head(48 * 1024, "") + body);
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> t.server().bodies().held() == body.length());

      // A key Tollgate does not know is no better than none: there is no room left for it.
      String refused =
          unmapped
              .send(head(body.length(), "Authorization: Bearer sk-unknown\r\n") + body)
              .readResponse();
      assertThat(refused)
          .startsWith("HTTP/1.1 503")
          .contains("\"code\":\"request_buffers_full\"")
          .containsIgnoringCase("x-tollgate-request-id");

      // The virtual key's caller is served beside the parked body.
      String served200 =
          known
              .send(head(body.length(), "Authorization: Bearer " + KEY + "\r\n") + body)
              .readResponse();
      assertThat(served200).startsWith("HTTP/1.1 200");
      assertThat(served.get()).isOne();

      // The refused connection is still usable once the parked body is gone.
      anonymous.send("x".repeat(8 * 1024));
      assertThat(anonymous.readResponse()).startsWith("HTTP/1.1 200");
      await().atMost(Duration.ofSeconds(5)).until(() -> t.server().bodies().held() == 0);
      String again =
          unmapped
              .send(head(body.length(), "Authorization: Bearer sk-unknown\r\n") + body)
              .readResponse();
      assertThat(again).startsWith("HTTP/1.1 200");
    }
  }

  @Test
  void oneKeyCannotHoldMoreThanItsShareOverSeveralConnections() throws Exception {
    AtomicInteger served = new AtomicInteger();
    String body = "x".repeat(30 * 1024);
    try (RawUpstream upstream = upstream(served);
        TestTollgate t =
            TestTollgate.start(
                upstream.baseUrl(),
                "server: {max_request_body: 48KiB, max_key_request_bytes: 48KiB}");
        RawClient first = new RawClient(t.port());
        RawClient second = new RawClient(t.port());
        RawClient other = new RawClient(t.port())) {
      String key = "Authorization: Bearer sk-one\r\n";
      first.send(head(40 * 1024, key) + body);
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> t.server().bodies().held() == body.length());

      assertThat(second.send(head(body.length(), key) + body).readResponse())
          .startsWith("HTTP/1.1 503");
      assertThat(
              other
                  .send(head(body.length(), "Authorization: Bearer sk-two\r\n") + body)
                  .readResponse())
          .startsWith("HTTP/1.1 200");
    }
  }

  @Test
  void aClientThatLeavesMidBodyGivesItsRoomBack() throws Exception {
    try (RawUpstream upstream = new RawUpstream(c -> c.readRequest());
        TestTollgate t = TestTollgate.start(upstream.baseUrl(), "")) {
      try (RawClient leaving = new RawClient(t.port())) {
        leaving.send(head(30_000, "") + "x".repeat(100));
        await().atMost(Duration.ofSeconds(5)).until(() -> t.server().bodies().held() == 100);
      }
      await().atMost(Duration.ofSeconds(5)).until(() -> t.server().bodies().held() == 0);
      assertThat(t.server().bodies().heldUnauthenticated()).isZero();
    }
  }

  @Test
  void aVirtualKeyModeRefusalHoldsNoByteOfItsBody() throws Exception {
    AtomicInteger served = new AtomicInteger();
    try (RawUpstream upstream = upstream(served);
        TestTollgate t =
            TestTollgate.start(
                upstream.baseUrl(), "upstream: {api_key: sk-org}\nauth: {mode: virtual_keys}");
        RawClient client = new RawClient(t.port())) {
      String answer = client.send(head(4096, "") + "x".repeat(4096)).readResponse();
      assertThat(answer).startsWith("HTTP/1.1 401");
      assertThat(t.server().bodies().held()).isZero();
      // Its body was dropped as it came: the connection serves the next request.
      assertThat(client.send(head(2, "") + "ok").readResponse()).startsWith("HTTP/1.1 401");
      assertThat(served.get()).isZero();
    }
  }
}
