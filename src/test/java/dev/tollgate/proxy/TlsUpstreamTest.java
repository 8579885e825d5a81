package dev.tollgate.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsExchange;
import com.sun.net.httpserver.HttpsServer;
import dev.tollgate.config.UpstreamConfig;
import dev.tollgate.testing.RawClient;
import dev.tollgate.testing.TestTollgate;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslHandler;
import io.netty.pkitesting.CertificateBuilder;
import io.netty.pkitesting.X509Bundle;
import io.netty.util.ReferenceCountUtil;
import java.io.File;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** https upstreams: certificates are verified against the host name, and SNI names it. */
class TlsUpstreamTest {
  static final String REQUEST = "GET /v1/models HTTP/1.1\r\nHost: x\r\n\r\n";
  static X509Bundle ca;
  static File caPem;

  @BeforeAll
  static void makeCa() throws Exception {
    Instant now = Instant.now();
    ca =
        new CertificateBuilder()
            .subject("CN=Tollgate Test CA")
            .setIsCertificateAuthority(true)
            .notBefore(now.minus(1, ChronoUnit.DAYS))
            .notAfter(now.plus(1, ChronoUnit.DAYS))
            .ecp256()
            .buildSelfSigned();
    caPem = ca.toTempRootCertPem();
  }

  @AfterAll
  static void cleanUp() {
    caPem.delete();
  }

  static HttpsServer upstreamWithCertFor(String dnsName, List<String> sniSeen) throws Exception {
    Instant now = Instant.now();
    X509Bundle leaf =
        new CertificateBuilder()
            .subject("CN=" + dnsName)
            .addSanDnsName(dnsName)
            .notBefore(now.minus(1, ChronoUnit.DAYS))
            .notAfter(now.plus(1, ChronoUnit.DAYS))
            .ecp256()
            .buildIssuedBy(ca);
    SSLContext ssl = SSLContext.getInstance("TLS");
    ssl.init(leaf.toKeyManagerFactory().getKeyManagers(), null, null);
    HttpsServer server =
        HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setHttpsConfigurator(new HttpsConfigurator(ssl));
    server.createContext(
        "/v1/models",
        exchange -> {
          var session = (ExtendedSSLSession) ((HttpsExchange) exchange).getSSLSession();
          session
              .getRequestedServerNames()
              .forEach(n -> sniSeen.add(((SNIHostName) n).getAsciiName()));
          byte[] body = "{\"data\":[]}".getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          exchange.getResponseBody().write(body);
          exchange.close();
        });
    server.start();
    return server;
  }

  @Test
  void aTrustedCertificateForTheHostIsAccepted() throws Exception {
    List<String> sni = new CopyOnWriteArrayList<>();
    HttpsServer server = upstreamWithCertFor("localhost", sni);
    try (TestTollgate tollgate =
            TestTollgate.start(
                "https://localhost:" + server.getAddress().getPort() + "/v1",
                "upstream: {tls: {trust_file: '" + caPem.getAbsolutePath() + "'}}");
        RawClient client = new RawClient(tollgate.port())) {
      String r = client.send(REQUEST).readResponse();
      assertThat(r).startsWith("HTTP/1.1 200").endsWith("{\"data\":[]}");
    } finally {
      server.stop(0);
    }
  }

  @Test
  void theUpstreamHandlerSendsSniAndChecksTheHostName() {
    UpstreamConfig upstream =
        new dev.tollgate.config.ConfigLoader(java.util.Map.of()).fromTree(null).upstream();
    SslHandler handler =
        UpstreamTls.newHandler(
            UpstreamTls.contextFor(upstream).orElseThrow(), ByteBufAllocator.DEFAULT, upstream);
    try {
      SSLParameters params = handler.engine().getSSLParameters();
      // TLS stacks send no SNI for a dotless name like "localhost", so this checks a real host
      // name.
      assertThat(params.getServerNames()).containsExactly(new SNIHostName("api.openai.com"));
      assertThat(params.getEndpointIdentificationAlgorithm()).isEqualTo("HTTPS");
      assertThat(handler.getHandshakeTimeoutMillis())
          .isEqualTo(upstream.connectTimeout().toMillis());
    } finally {
      ReferenceCountUtil.release(handler.engine());
    }
  }

  @Test
  void anUntrustedCertificateIs502() throws Exception {
    HttpsServer server = upstreamWithCertFor("localhost", new CopyOnWriteArrayList<>());
    try (TestTollgate tollgate =
            TestTollgate.start("https://localhost:" + server.getAddress().getPort() + "/v1");
        RawClient client = new RawClient(tollgate.port())) {
      String r = client.send(REQUEST).readResponse();
      assertThat(r).startsWith("HTTP/1.1 502").contains("\"code\":\"upstream_connect_failed\"");
    } finally {
      server.stop(0);
    }
  }

  @Test
  void aCertificateForAnotherHostIs502EvenWhenItsCaIsTrusted() throws Exception {
    HttpsServer server = upstreamWithCertFor("api.other.example", new CopyOnWriteArrayList<>());
    try (TestTollgate tollgate =
            TestTollgate.start(
                "https://localhost:" + server.getAddress().getPort() + "/v1",
                "upstream: {tls: {trust_file: '" + caPem.getAbsolutePath() + "'}}");
        RawClient client = new RawClient(tollgate.port())) {
      String r = client.send(REQUEST).readResponse();
      assertThat(r).startsWith("HTTP/1.1 502").contains("\"code\":\"upstream_connect_failed\"");
    } finally {
      server.stop(0);
    }
  }
}
