package dev.tollgate.config;

import java.time.Duration;

/**
 * WebSocket passthrough on {@code /v1/responses} and {@code /v1/realtime}.
 *
 * @param enabled carry upgrades; when off they are refused (400), and a client such as Codex CLI
 *     falls back to HTTP
 * @param handshakeTimeout the upstream must answer the upgrade within this
 * @param idleTimeout a socket with no frame either way for this long is closed (1001)
 * @param closeTimeout after a close frame, how long the other side has to finish the handshake
 * @param maxFrameBytes the largest frame payload accepted from either side (larger: closed, 1009)
 * @param maxEventBytes the largest message metering reads; a larger one is relayed unread
 * @param maxSockets open sockets at once; an upgrade past this is answered 503
 * @param maxFragments the most frames one message may come in and still be read (and, from the
 *     client, held back until it is whole and admitted)
 */
public record WebSocketConfig(
    boolean enabled,
    Duration handshakeTimeout,
    Duration idleTimeout,
    Duration closeTimeout,
    long maxFrameBytes,
    long maxEventBytes,
    int maxSockets,
    int maxFragments) {

  public WebSocketConfig {
    Validate.positive(handshakeTimeout, "websocket.handshake_timeout");
    Validate.positive(idleTimeout, "websocket.idle_timeout");
    Validate.positive(closeTimeout, "websocket.close_timeout");
    Validate.range(maxFrameBytes, 125, Integer.MAX_VALUE, "websocket.max_frame_bytes");
    Validate.range(maxEventBytes, 1024, Integer.MAX_VALUE, "websocket.max_event_bytes");
    Validate.range(maxSockets, 1, 10_000_000, "websocket.max_sockets");
    Validate.range(maxFragments, 1, 1_000_000, "websocket.max_fragments");
  }

  static WebSocketConfig read(Section s) {
    return new WebSocketConfig(
        s.bool("enabled", true),
        s.duration("handshake_timeout", Duration.ofSeconds(30)),
        s.duration("idle_timeout", Duration.ofMinutes(10)),
        s.duration("close_timeout", Duration.ofSeconds(5)),
        s.bytes("max_frame_bytes", 16L << 20),
        s.bytes("max_event_bytes", 8L << 20),
        (int) s.integer("max_sockets", 10_000),
        (int) s.integer("max_fragments", 4096));
  }
}
