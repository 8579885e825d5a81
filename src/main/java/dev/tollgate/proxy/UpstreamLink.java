package dev.tollgate.proxy;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.concurrent.Future;

/**
 * An exchange's connection to the upstream: acquired on the client's own event loop, taken through
 * its TLS handshake, bound to the exchange (its {@link BackendHandler} reports to it) while the
 * call lasts, then handed back to the pool or closed.
 */
final class UpstreamLink {
  private final Upstreams pool;
  private final EventLoop loop;
  private Channel channel;
  private BackendHandler backend;

  UpstreamLink(Upstreams pool, EventLoop loop) {
    this.pool = pool;
    this.loop = loop;
  }

  /** Acquires a connection; the exchange hears {@code onConnected} or {@code onConnectFailed}. */
  void acquire(ProxyExchange exchange) {
    Future<Channel> acquired = pool.acquire(loop);
    acquired.addListener(ignored -> onAcquired(acquired, exchange));
  }

  private void onAcquired(Future<Channel> acquired, ProxyExchange exchange) {
    if (!acquired.isSuccess()) {
      exchange.onConnectFailed(acquired.cause());
      return;
    }
    Channel ch = acquired.getNow();
    if (!exchange.wantsConnection()) {
      ch.close(); // the call ended while the connection was on its way
      return;
    }
    channel = ch;
    backend = ch.pipeline().get(BackendHandler.class);
    backend.bind(exchange);
    SslHandler ssl = (SslHandler) ch.pipeline().get(UpstreamPool.SSL);
    if (ssl == null || ssl.handshakeFuture().isDone()) {
      exchange.onConnected(); // a failed handshake shows as a failed write, which is retried
      return;
    }
    ssl.handshakeFuture()
        .addListener(
            handshake -> {
              if (channel != ch || !exchange.wantsConnection()) {
                return;
              }
              if (handshake.isSuccess()) {
                exchange.onConnected();
              } else {
                end(false);
                exchange.onConnectFailed(handshake.cause());
              }
            });
  }

  boolean attached() {
    return channel != null;
  }

  /** The connection, or null when none is attached. */
  Channel channel() {
    return channel;
  }

  /** Reads the upstream on its own, or stops reading it (back-pressure from the client). */
  void autoRead(boolean on) {
    channel.config().setAutoRead(on);
  }

  /** Detaches the connection: back to the pool when it can carry another call, else closed. */
  void end(boolean reusable) {
    if (channel == null) {
      return;
    }
    backend.unbind();
    if (reusable) {
      pool.release(channel);
    } else {
      channel.close();
    }
    channel = null;
    backend = null;
  }
}
