package dev.tollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.testing.RawClient;
import dev.tollgate.testing.RawUpstream;
import dev.tollgate.testing.TestTollgate;
import java.io.OutputStream;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A client that stops reading must slow the upstream down, not make Tollgate buffer the body. */
class BackPressureTest {
  static final long OFFERED = 256L << 20; // far more than every socket buffer on the path together

  @Test
  void aStalledClientStallsTheUpstreamInsteadOfGrowingABuffer() throws Exception {
    AtomicLong written = new AtomicLong();
    byte[] block = new byte[64 * 1024];
    try (RawUpstream upstream =
            new RawUpstream(
                c -> {
                  c.readRequest();
                  c.write(
                      "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: "
                          + OFFERED
                          + "\r\n\r\n");
                  OutputStream out = c.socket().getOutputStream();
                  while (written.get() < OFFERED) {
                    out.write(block);
                    written.addAndGet(block.length);
                  }
                });
        TestTollgate tollgate = TestTollgate.start(upstream.baseUrl());
        RawClient client = new RawClient(tollgate.port())) {
      client.send("GET /v1/files/big/content HTTP/1.1\r\nHost: x\r\n\r\n");
      assertThat(client.readHead()).startsWith("HTTP/1.1 200");

      // The client reads nothing more; let the upstream push as far as it can.
      long before;
      do {
        before = written.get();
        Thread.sleep(500);
      } while (written.get() != before);

      // Kernel buffers on loopback can hold some MiB on each side; Tollgate adds at most its
      // 256 KiB water mark plus one read. Without back-pressure all 256 MiB would pass.
      assertThat(written.get()).isLessThan(48L << 20);

      long drained = 0;
      byte[] buf = new byte[1 << 16];
      int n;
      while (drained < OFFERED && (n = client.input().read(buf)) != -1) {
        drained += n;
      }
      assertThat(drained).isEqualTo(OFFERED);
    }
  }
}
