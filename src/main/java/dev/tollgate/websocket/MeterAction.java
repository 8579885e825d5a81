package dev.tollgate.websocket;

import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.util.List;

/**
 * What the socket does with a frame once metering has seen it, when that is not simply to relay it
 * (which {@link SocketMeter#frame} says with null, the common case, without allocating).
 *
 * @param forward frames to send on now, in order (a held message, now admitted); owned by the pair
 * @param refusal an error event to answer the client with instead (a refused {@code
 *     response.create}), or null
 * @param close close the socket with this status (and {@link #reason}), or null
 * @param reason the close frame's reason
 */
record MeterAction(
    List<WebSocketFrame> forward, String refusal, WebSocketCloseStatus close, String reason) {
  /** The meter kept the frame (part of a client message not yet whole): nothing to send yet. */
  static final MeterAction HOLD = new MeterAction(List.of(), null, null, null);

  static MeterAction forward(List<WebSocketFrame> frames) {
    return new MeterAction(frames, null, null, null);
  }

  static MeterAction refuse(String event) {
    return new MeterAction(List.of(), event, null, null);
  }

  static MeterAction close(WebSocketCloseStatus status, String reason) {
    return new MeterAction(List.of(), null, status, reason);
  }
}
