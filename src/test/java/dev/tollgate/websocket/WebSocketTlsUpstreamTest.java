package dev.tollgate.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.testing.TestTollgate;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import java.io.File;
import java.net.URI;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The real upstream is {@code wss://api.openai.com}: the socket's own upstream connection goes
 * through the same TLS as pooled ones (certificate checked against the host name), and a turn is
 * metered through it.
 */
class WebSocketTlsUpstreamTest {

  static X509Bundle[] caAndLeaf() throws Exception {
    Instant now = Instant.now();
    X509Bundle ca =
        new CertificateBuilder()
            .subject("CN=Tollgate Socket Test CA")
            .setIsCertificateAuthority(true)
            .notBefore(now.minus(1, ChronoUnit.DAYS))
            .notAfter(now.plus(1, ChronoUnit.DAYS))
            .ecp256()
            .buildSelfSigned();
    X509Bundle leaf =
        new CertificateBuilder()
            .subject("CN=localhost")
            .addSanDnsName("localhost")
            .notBefore(now.minus(1, ChronoUnit.DAYS))
            .notAfter(now.plus(1, ChronoUnit.DAYS))
            .ecp256()
            .buildIssuedBy(ca);
    return new X509Bundle[] {ca, leaf};
  }

  @Test
  void aSocketToATlsUpstreamCarriesAndMetersTurns() throws Exception {
    X509Bundle[] pki = caAndLeaf();
    File caPem = pki[0].toTempRootCertPem();
    SslContext server = SslContextBuilder.forServer(pki[1].toKeyManagerFactory()).build();
    try (FakeSocketUpstream upstream = new FakeSocketUpstream(server);
        TestTollgate t =
            TestTollgate.start(
                upstream.baseUrl(),
                "upstream: {tls: {trust_file: '" + caPem.getAbsolutePath() + "'}}")) {
      WsClient c =
          WsClient.open(URI.create("ws://127.0.0.1:" + t.port() + "/v1/responses"), Map.of());
      c.send(WebSocketPassthroughTest.CREATE.formatted("over tls"));
      assertThat(c.until("response.completed")).isNotEmpty();
      assertThat(t.awaitCalls(1).get(0).path("status").asText()).isEqualTo("priced");
    } finally {
      caPem.delete();
    }
  }

  @Test
  void anUntrustedUpstreamCertificateIsA502AtTheUpgrade() throws Exception {
    SslContext server = SslContextBuilder.forServer(caAndLeaf()[1].toKeyManagerFactory()).build();
    try (FakeSocketUpstream upstream = new FakeSocketUpstream(server);
        TestTollgate t = TestTollgate.start(upstream.baseUrl())) {
      var refused =
          WsClient.refusal(URI.create("ws://127.0.0.1:" + t.port() + "/v1/responses"), Map.of());
      assertThat(refused.statusCode()).isEqualTo(502);
      assertThat(refused.body().toString()).contains("upstream_connect_failed");
      assertThat(upstream.upgrades).isEmpty();
    }
  }
}
