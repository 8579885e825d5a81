package dev.tollgate.config;

import java.time.Duration;

/**
 * The proxy listener.
 *
 * @param bind address to listen on
 * @param port proxy port
 * @param ioThreads event-loop threads; 0 means one per core
 * @param maxRequestBody largest request body accepted, in bytes (larger gets 413)
 * @param maxHeaderSize largest request line plus headers, in bytes
 * @param maxPipelined requests a client may pipeline before Tollgate closes the connection
 * @param clientIdleTimeout an idle keep-alive client connection is closed after this
 * @param drainTimeout how long SIGTERM waits for in-flight calls before closing them
 * @param requestReadTimeout a request's head and body must arrive within this, counted from its
 *     first byte (a client trickling bytes cannot hold a connection and a buffer forever)
 * @param buffers request-body bytes held at once, in all, per connection, per key and by callers
 *     Tollgate cannot tell apart; a body that does not fit is answered 503
 */
public record ServerConfig(
    String bind,
    int port,
    int ioThreads,
    long maxRequestBody,
    int maxHeaderSize,
    int maxPipelined,
    Duration clientIdleTimeout,
    Duration drainTimeout,
    Duration requestReadTimeout,
    BufferLimits buffers) {

  public ServerConfig {
    Validate.notBlank(bind, "server.bind");
    Validate.port(port, "server.port");
    Validate.range(ioThreads, 0, 1024, "server.io_threads");
    Validate.range(maxRequestBody, 1, Integer.MAX_VALUE, "server.max_request_body");
    Validate.range(maxHeaderSize, 1024, 1 << 20, "server.max_header_size");
    Validate.range(maxPipelined, 1, 1024, "server.max_pipelined");
    Validate.positive(clientIdleTimeout, "server.client_idle_timeout");
    Validate.nonNegative(drainTimeout, "server.drain_timeout");
    Validate.positive(requestReadTimeout, "server.request_read_timeout");
    java.util.Objects.requireNonNull(buffers, "buffers");
  }
}
