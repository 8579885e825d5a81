package dev.tollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.testing.RawClient;
import dev.tollgate.testing.RawUpstream;
import dev.tollgate.testing.TestTollgate;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A request whose length could be read two ways never becomes two requests upstream: the gate reads
 * one body and sends it with a length of its own, or refuses the request.
 */
class RequestSmugglingTest {
  private final List<RawUpstream.Request> received = new CopyOnWriteArrayList<>();

  private RawUpstream upstream() throws Exception {
    return new RawUpstream(
        c -> {
          RawUpstream.Request r;
          while ((r = c.readRequest()) != null) {
            received.add(r);
            c.writeJson("200 OK", "{}");
          }
        });
  }

  @Test
  void aChunkedBodyGoesUpstreamAsOneRequestWithALengthOfItsOwn() throws Exception {
    String smuggled = "GET /v1/models HTTP/1.1\r\nHost: x\r\n\r\n";
    String chunk = "{}" + smuggled;
    try (RawUpstream u = upstream();
        TestTollgate t = TestTollgate.start(u.baseUrl());
        RawClient c = new RawClient(t.port())) {
      String answer =
          c.send(
                  "POST /v1/files HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                      + Integer.toHexString(chunk.length())
                      + "\r\n"
                      + chunk
                      + "\r\n0\r\n\r\n")
              .readResponse();
      assertThat(answer).startsWith("HTTP/1.1 200");
      Thread.sleep(200);
      assertThat(received).hasSize(1);
      assertThat(received.get(0).body()).isEqualTo(chunk);
      assertThat(received.get(0).head().toLowerCase())
          .contains("content-length: " + chunk.length())
          .doesNotContain("transfer-encoding");
    }
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "Content-Length: 2\r\nContent-Length: 40",
        "Content-Length: 2, 40",
        "Transfer-Encoding: chunked, identity",
        "Content-Length: +2",
        "Content-Length: 2\r\nTransfer-Encoding: chunked",
      })
  void anAmbiguousLengthIsRefusedAndClosesTheConnection(String headers) throws Exception {
    try (RawUpstream u = upstream();
        TestTollgate t = TestTollgate.start(u.baseUrl());
        RawClient c = new RawClient(t.port())) {
      String answer =
          c.send(
                  "POST /v1/files HTTP/1.1\r\nHost: x\r\n"
                      + headers
                      + "\r\n\r\n{}GET /v1/models HTTP/1.1\r\nHost: x\r\n\r\n")
              .readToEnd();
      assertThat(answer).startsWith("HTTP/1.1 400").contains("x-tollgate-request-id");
      assertThat(
              java.util.regex.Pattern.compile("(?m)^HTTP/1\\.1 ").matcher(answer).results().count())
          .as("one answer, then the connection closes")
          .isOne();
      assertThat(received).isEmpty();
    }
  }
}
