package dev.tollgate.websocket;

import dev.tollgate.call.Outcome;
import dev.tollgate.config.WebSocketConfig;
import dev.tollgate.errors.Failure;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.socket.DuplexChannel;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * An established socket: the client's connection and Tollgate's own to the upstream, both on the
 * client's event loop (as in Netty's proxy example), so relaying takes no locks. Frames go across
 * as they are decoded, each side reading only while the other can take more; close frames, pings
 * and pongs pass like any frame, so close codes and keep-alives are the endpoints' own. Tollgate
 * closes a socket itself only when it is idle or the server drains (1001), and a side that drops
 * its connection has the other dropped too, as it would have seen.
 */
final class SocketPair {
  private final Channel client;
  private final Channel upstream;
  private final SocketMeter meter;
  private final WebSocketConfig config;
  private final Consumer<Outcome> onEnd;
  private final String keyHash; // the virtual key the socket was opened with, or null
  private boolean closeSentToClient;
  private boolean closeSentToUpstream;
  private boolean draining;
  private boolean revoked; // closed by Tollgate for a reason of its own: client frames go nowhere
  private boolean ended;
  private volatile boolean busy; // read by the drain, off the event loop
  private ScheduledFuture<?> closeTimer;

  SocketPair(
      Channel client,
      Channel upstream,
      SocketMeter meter,
      WebSocketConfig config,
      Consumer<Outcome> onEnd,
      String keyHash) {
    this.keyHash = keyHash;
    this.client = client;
    this.upstream = upstream;
    this.meter = meter;
    this.config = config;
    this.onEnd = onEnd;
  }

  /** Relays {@code frame} (its reference passes on) to the other side. */
  void relay(WebSocketFrame frame, boolean fromClient) {
    if (fromClient && revoked) {
      frame.release(); // the socket's key is gone: nothing more goes upstream on it
      return;
    }
    MeterAction action = meter.frame(frame, fromClient, System.nanoTime());
    busy = meter.busy();
    if (action == null) {
      send(frame, fromClient);
      return;
    }
    if (action.close() != null) {
      revoke(action.close(), action.reason());
      return;
    }
    if (action.refusal() != null) {
      // refused: the client hears why, the upstream never sees it (the meter released the frame)
      client.writeAndFlush(new TextWebSocketFrame(action.refusal()), client.voidPromise());
      return;
    }
    for (WebSocketFrame f : action.forward()) {
      send(f, fromClient); // a held message, now admitted
    }
  }

  private void send(WebSocketFrame frame, boolean fromClient) {
    Channel from = fromClient ? client : upstream;
    Channel to = fromClient ? upstream : client;
    if (frame instanceof CloseWebSocketFrame) {
      if (fromClient) {
        closeSentToUpstream = true;
      } else {
        closeSentToClient = true;
      }
      armCloseTimer();
    }
    if (!to.isActive()) {
      frame.release();
      return;
    }
    to.write(frame, to.voidPromise());
    if (!to.isWritable()) {
      from.config().setAutoRead(false); // resumed when `to` drains (writabilityChanged)
    }
    if (draining && !meter.busy()) {
      goAway("Tollgate is shutting down");
    }
  }

  void flush(boolean fromClient) {
    (fromClient ? upstream : client).flush();
  }

  /** {@code side}'s channel can take more, or no more: read the other side accordingly. */
  void writabilityChanged(boolean clientSide) {
    Channel writer = clientSide ? client : upstream;
    Channel reader = clientSide ? upstream : client;
    reader.config().setAutoRead(writer.isWritable());
  }

  /** {@code side}'s connection is gone: the other goes once what was sent to it is written. */
  void closed(boolean clientSide) {
    if (!ended) {
      ended = true;
      Outcome how = clientSide ? Outcome.CLIENT_CLOSED : Failure.UPSTREAM_RESET.outcome();
      meter.end(how, System.nanoTime());
      // After a close frame each way the socket ended as the protocol means it to.
      onEnd.accept(closeSentToClient && closeSentToUpstream ? Outcome.OK : how);
    }
    Channel other = clientSide ? upstream : client;
    if (other.isActive()) {
      // Half-close once what was sent is written: a FIN after the last frame. A plain close with
      // bytes of the peer's still unread would send a reset, and a reset can cost the peer the
      // frames it has not read yet. The peer closes in turn; the timer makes sure of it.
      other
          .writeAndFlush(Unpooled.EMPTY_BUFFER)
          .addListener(
              f -> {
                if (f.isSuccess() && other instanceof DuplexChannel duplex) {
                  duplex.shutdownOutput();
                  armCloseTimer();
                } else {
                  other.close();
                }
              });
    }
  }

  /** Tollgate closes the socket itself (idle, draining): 1001 to both, as a server going away. */
  void goAway(String reason) {
    if (!closeSentToClient) {
      closeSentToClient = true;
      client.writeAndFlush(
          new CloseWebSocketFrame(WebSocketCloseStatus.ENDPOINT_UNAVAILABLE, reason));
    }
    if (!closeSentToUpstream) {
      closeSentToUpstream = true;
      upstream.writeAndFlush(
          new CloseWebSocketFrame(WebSocketCloseStatus.ENDPOINT_UNAVAILABLE, reason));
    }
    armCloseTimer();
  }

  /**
   * Ends the socket for a reason of Tollgate's own (its key revoked or expired, a message too big
   * to check against a hard budget): the client gets a close frame with {@code status} and the
   * reason, the upstream a 1001, and nothing the client sends from now on goes upstream. Runs on
   * the socket's event loop.
   */
  void revoke(WebSocketCloseStatus status, String reason) {
    revoked = true;
    if (!closeSentToClient) {
      closeSentToClient = true;
      client.writeAndFlush(new CloseWebSocketFrame(status, reason));
    }
    if (!closeSentToUpstream) {
      closeSentToUpstream = true;
      upstream.writeAndFlush(
          new CloseWebSocketFrame(WebSocketCloseStatus.ENDPOINT_UNAVAILABLE, "client gone"));
    }
    armCloseTimer();
  }

  /** The SHA-256 of the virtual key the socket was opened with, or null for any other key. */
  String keyHash() {
    return keyHash;
  }

  /** The client's channel: a revocation is carried out on its event loop. */
  Channel clientChannel() {
    return client;
  }

  /** A turn is asked for or under way (as of the last frame). */
  boolean busy() {
    return busy && !ended;
  }

  /** The server drains: close now if no turn is under way, else once it ends. */
  void drain() {
    draining = true;
    if (!meter.busy()) {
      goAway("Tollgate is shutting down");
    }
  }

  /** After a close frame, the other side has {@code websocket.close_timeout} to finish. */
  private void armCloseTimer() {
    if (closeTimer == null) {
      closeTimer =
          client
              .eventLoop()
              .schedule(
                  () -> {
                    client.close();
                    upstream.close();
                  },
                  config.closeTimeout().toMillis(),
                  TimeUnit.MILLISECONDS);
    }
  }
}
