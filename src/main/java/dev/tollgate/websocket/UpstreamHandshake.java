package dev.tollgate.websocket;

import dev.tollgate.errors.Failure;
import dev.tollgate.proxy.SocketHandoff;
import dev.tollgate.proxy.UpstreamPool;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The upgrade's way upstream: connects (a connection of the socket's own), sends the client's
 * upgrade request, and reads the answer. A 101 starts the {@link SocketPair}; anything else (the
 * upstream's 401, 404, 426...) goes back to the client as it came, and the socket never opens.
 * Bounded by {@code websocket.handshake_timeout}.
 */
final class UpstreamHandshake extends ChannelInboundHandlerAdapter {
  private static final int MAX_REFUSAL_BYTES = 1 << 20;

  private final SocketGateway gateway;
  private final Channel client;
  private final FullHttpRequest request;
  private final SocketHandoff.Opened call;
  private ScheduledFuture<?> timeout;
  private Channel upstream;
  private boolean settled;

  UpstreamHandshake(
      SocketGateway gateway, Channel client, FullHttpRequest request, SocketHandoff.Opened call) {
    this.gateway = gateway;
    this.client = client;
    this.request = request;
    this.call = call;
  }

  void start() {
    // The client's own upgrade headers go upstream as they are (key, version, subprotocols), so
    // the upstream's accept key answers the client. No extension is offered: frames must arrive
    // uncompressed to be metered, and a client copes with a server that accepts none.
    request.headers().set(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET);
    request.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.UPGRADE);
    request.headers().remove(HttpHeaderNames.SEC_WEBSOCKET_EXTENSIONS);
    timeout =
        client
            .eventLoop()
            .schedule(
                () ->
                    fail(
                        Failure.UPSTREAM_FIRST_BYTE_TIMEOUT,
                        "The upstream did not answer the WebSocket upgrade within "
                            + gateway.config().handshakeTimeout().toMillis()
                            + " ms (websocket.handshake_timeout)"),
                gateway.config().handshakeTimeout().toMillis(),
                TimeUnit.MILLISECONDS);
    client.closeFuture().addListener(f -> fail(null, null)); // the client left first
    Future<Channel> connecting = call.pool().connect(client.eventLoop());
    connecting.addListener(f -> connected(connecting));
  }

  private void connected(Future<Channel> connecting) {
    if (!connecting.isSuccess()) {
      fail(Failure.UPSTREAM_CONNECT, "Cannot reach the upstream: " + connecting.cause());
      return;
    }
    upstream = connecting.getNow();
    if (settled) {
      upstream.close();
      return;
    }
    upstream
        .pipeline()
        .addLast("http", UpstreamPool.newHttpCodec())
        .addLast("aggregate", new HttpObjectAggregator(MAX_REFUSAL_BYTES))
        .addLast("handshake", this);
    upstream
        .closeFuture()
        .addListener(
            f ->
                fail(
                    Failure.UPSTREAM_RESET,
                    "The upstream closed the connection during the WebSocket upgrade"));
    upstream.writeAndFlush(request).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof FullHttpResponse response) || settled) {
      ReferenceCountUtil.release(msg);
      return;
    }
    settled = true;
    timeout.cancel(false);
    try {
      if (response.status().equals(HttpResponseStatus.SWITCHING_PROTOCOLS)
          && response
              .headers()
              .containsValue(HttpHeaderNames.UPGRADE, HttpHeaderValues.WEBSOCKET, true)) {
        gateway.established(client, upstream, response, call);
      } else {
        gateway.refusedUpstream(client, response.retainedDuplicate(), call);
        upstream.close();
      }
    } finally {
      response.release();
    }
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    fail(Failure.UPSTREAM_BAD_RESPONSE, "The upstream's answer to the upgrade: " + cause);
  }

  /** Ends the attempt: the client gets {@code failure} (null when it already left). */
  private void fail(Failure failure, String message) {
    if (settled) {
      return;
    }
    settled = true;
    if (timeout != null) {
      timeout.cancel(false);
    }
    if (request.refCnt() > 0 && upstream == null) {
      request.release(); // never sent
    }
    if (upstream != null) {
      upstream.close();
    }
    gateway.failed(client, failure, message, call);
  }
}
