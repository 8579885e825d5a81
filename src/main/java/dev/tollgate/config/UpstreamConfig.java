package dev.tollgate.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

/**
 * Where calls go and how Tollgate talks to it.
 *
 * @param url base URL; {@code /v1/<path>} is sent to {@code <url>/<path>}
 * @param apiKey when present, sent upstream instead of the client's Authorization header
 * @param connectTimeout TCP (and TLS) connect limit; exceeding it is a 504
 * @param firstByteTimeout limit from request sent to response headers; exceeding it is a 504
 * @param idleTimeout longest silence inside a response body
 * @param poolIdleTimeout an idle pooled upstream connection is closed after this
 * @param maxIdlePerLoop idle upstream connections kept per event loop
 * @param trustFile PEM bundle of CA certificates to trust instead of the JDK's defaults
 */
public record UpstreamConfig(
    URI url,
    Optional<String> apiKey,
    Duration connectTimeout,
    Duration firstByteTimeout,
    Duration idleTimeout,
    Duration poolIdleTimeout,
    int maxIdlePerLoop,
    Optional<Path> trustFile) {

  public UpstreamConfig {
    Validate.notNull(url, "upstream.url");
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw new ConfigException(
          "upstream.url: must be an http:// or https:// URL, got '" + url + "'");
    }
    if (url.getHost() == null) {
      throw new ConfigException("upstream.url: has no host: '" + url + "'");
    }
    if (url.getRawQuery() != null || url.getRawFragment() != null) {
      throw new ConfigException("upstream.url: must not have a query or fragment: '" + url + "'");
    }
    apiKey = apiKey.filter(k -> !k.isBlank());
    Validate.positive(connectTimeout, "upstream.connect_timeout");
    Validate.positive(firstByteTimeout, "upstream.first_byte_timeout");
    Validate.positive(idleTimeout, "upstream.idle_timeout");
    Validate.positive(poolIdleTimeout, "upstream.pool.idle_timeout");
    Validate.range(maxIdlePerLoop, 0, 100_000, "upstream.pool.max_idle_per_loop");
  }

  public boolean tls() {
    return url.getScheme().equalsIgnoreCase("https");
  }

  public String host() {
    return url.getHost();
  }

  public int port() {
    return url.getPort() != -1 ? url.getPort() : tls() ? 443 : 80;
  }

  /** The value of the Host header sent upstream: the port only when it is not the default. */
  public String hostHeader() {
    return url.getPort() == -1 ? url.getHost() : url.getHost() + ":" + url.getPort();
  }

  /** The base path without a trailing slash ("" for a bare host). */
  public String basePath() {
    String p = url.getRawPath() == null ? "" : url.getRawPath();
    return p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
  }
}
