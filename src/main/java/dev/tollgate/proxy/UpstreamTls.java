package dev.tollgate.proxy;

import dev.tollgate.config.ConfigException;
import dev.tollgate.config.UpstreamConfig;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.nio.file.Path;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * Client TLS for https upstreams: BoringSSL when it loads, the JDK otherwise; SNI and hostname
 * checks on.
 */
public final class UpstreamTls {
  private UpstreamTls() {}

  /**
   * A client TLS handler for one upstream connection: SNI carries the upstream host name, the
   * certificate must match it, and a slow handshake counts against the connect timeout.
   */
  static SslHandler newHandler(
      SslContext context, ByteBufAllocator alloc, UpstreamConfig upstream) {
    SslHandler handler = context.newHandler(alloc, upstream.host(), upstream.port());
    handler.setHandshakeTimeoutMillis(upstream.connectTimeout().toMillis());
    return handler;
  }

  /** Empty for a plain-http upstream. */
  public static Optional<SslContext> contextFor(UpstreamConfig upstream) {
    if (!upstream.tls()) {
      return Optional.empty();
    }
    SslContextBuilder builder =
        SslContextBuilder.forClient()
            .sslProvider(OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK)
            // Certificates are checked against the upstream's host name, never skipped.
            .endpointIdentificationAlgorithm("HTTPS")
            // We speak HTTP/1.1 upstream; say so rather than let a server pick h2.
            .applicationProtocolConfig(ApplicationProtocolConfig.DISABLED);
    upstream.trustFile().map(Path::toFile).ifPresent(builder::trustManager);
    try {
      return Optional.of(builder.build());
    } catch (SSLException | IllegalArgumentException e) {
      throw new ConfigException(
          "upstream.tls.trust_file: cannot build TLS context: " + e.getMessage(), e);
    }
  }
}
