package dev.tollgate.proxy;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.Future;

/**
 * Where an exchange gets its upstream connection and gives it back: {@link UpstreamPool} in
 * production; a test can hand out an in-memory channel whose pipeline ends in a {@link
 * BackendHandler}.
 */
public interface Upstreams {
  /** A connection on {@code loop}, the client's own event loop. */
  Future<Channel> acquire(EventLoop loop);

  /** Returns a connection that can carry another call. */
  void release(Channel ch);

  /** A connection of its own on {@code loop}, outside the pool (a WebSocket's), TLS done. */
  default Future<Channel> connect(EventLoop loop) {
    return loop.newFailedFuture(new UnsupportedOperationException("no dedicated connections"));
  }
}
