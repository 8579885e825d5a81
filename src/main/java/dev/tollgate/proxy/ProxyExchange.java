package dev.tollgate.proxy;

import dev.tollgate.config.UpstreamConfig;
import dev.tollgate.errors.ErrorResponses;
import dev.tollgate.errors.Failure;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ConnectTimeoutException;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One call relayed from a client to the upstream and back. Runs entirely on the client's event
 * loop: the upstream connection is acquired there, and every callback arrives there.
 *
 * <p>The response is relayed as it arrives: each upstream read is written to the client and
 * flushed on read-complete, and the next upstream read is only asked for while the client is
 * writable, so a slow client slows the upstream instead of growing a buffer.
 */
final class ProxyExchange {
  private final ChannelHandlerContext client;
  private final FrontendHandler frontend;
  private final ProxyContext context;
  private final UpstreamConfig upstreamConfig;
  private final FullHttpRequest request; // owned here; each attempt writes a retained duplicate
  private final String method;
  private final boolean clientHttp10;
  private final String path;
  private final String model;
  private final long startNanos = System.nanoTime();

  private Channel upstream;
  private BackendHandler backend;
  private ScheduledFuture<?> timer;
  private long sentNanos = -1;
  private long lastUpstreamReadNanos;
  private int status;
  private boolean requestWritten;
  private boolean upstreamKeepAlive;
  private boolean headersSent;
  private boolean retried;
  private boolean done;

  ProxyExchange(
      ChannelHandlerContext client,
      FrontendHandler frontend,
      ProxyContext context,
      FullHttpRequest request,
      boolean clientHttp10,
      String path,
      String model) {
    this.client = client;
    this.frontend = frontend;
    this.context = context;
    this.upstreamConfig = context.config().upstream();
    this.request = request;
    this.method = request.method().name();
    this.clientHttp10 = clientHttp10;
    this.path = path;
    this.model = model;
  }

  void start() {
    context.traffic().started();
    connect();
  }

  private void connect() {
    Future<Channel> acquired = context.pool().acquire(client.channel().eventLoop());
    acquired.addListener(ignored -> onAcquired(acquired));
  }

  private void onAcquired(Future<Channel> f) {
    if (!f.isSuccess()) {
      failConnect(f.cause());
      return;
    }
    Channel ch = f.getNow();
    if (done) {
      ch.close();
      return;
    }
    upstream = ch;
    backend = ch.pipeline().get(BackendHandler.class);
    backend.bind(this);
    SslHandler ssl = (SslHandler) ch.pipeline().get(UpstreamPool.SSL);
    if (ssl != null && !ssl.handshakeFuture().isDone()) {
      ssl.handshakeFuture().addListener(h -> onHandshake(h, ch));
    } else {
      send();
    }
  }

  private void onHandshake(Future<?> handshake, Channel ch) {
    if (done || upstream != ch) {
      return;
    }
    if (handshake.isSuccess()) {
      send();
    } else {
      discardUpstream();
      failConnect(handshake.cause());
    }
  }

  private void send() {
    sentNanos = System.nanoTime();
    timer = schedule(this::firstByteTimedOut, upstreamConfig.firstByteTimeout().toNanos());
    Channel ch = upstream;
    ch.writeAndFlush(request.retainedDuplicate())
        .addListener(
            w -> {
              if (w.isSuccess()) {
                requestWritten = true;
              } else if (!done && upstream == ch) {
                onRequestNotSent(w.cause());
              }
            });
    ch.read();
  }

  /** The request did not reach the upstream, so it is safe to try once more on a new connection. */
  private void onRequestNotSent(Throwable cause) {
    discardUpstream();
    cancelTimer();
    if (!retried) {
      retried = true;
      connect();
    } else {
      fail(Failure.UPSTREAM_CONNECT, "Could not send the request upstream: " + describe(cause));
    }
  }

  void onUpstreamMessage(HttpObject msg) {
    if (done) {
      ReferenceCountUtil.release(msg);
      return;
    }
    lastUpstreamReadNanos = System.nanoTime();
    if (msg.decoderResult().isFailure()) {
      ReferenceCountUtil.release(msg);
      upstreamKeepAlive = false;
      fail(Failure.UPSTREAM_BAD_RESPONSE, "Upstream sent an invalid HTTP response: " + describe(msg.decoderResult().cause()));
      return;
    }
    if (msg instanceof HttpResponse response) {
      onResponseHead(response);
    }
    if (msg instanceof HttpContent content) {
      boolean last = content instanceof LastHttpContent;
      client.write(content).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
      if (last) {
        complete();
      }
    }
  }

  private void onResponseHead(HttpResponse response) {
    cancelTimer();
    timer = schedule(this::checkIdle, upstreamConfig.idleTimeout().toNanos());
    status = response.status().code();
    upstreamKeepAlive = HttpUtil.isKeepAlive(response);
    ResponseHeaders.forClient(response, request.method(), clientHttp10, context.traffic().draining());
    headersSent = true;
    client.write(response).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
  }

  void onUpstreamReadComplete() {
    client.flush();
    if (!done && client.channel().isWritable()) {
      upstream.read();
    }
  }

  void onClientWritable() {
    if (!done && upstream != null) {
      lastUpstreamReadNanos = System.nanoTime();
      upstream.read();
    }
  }

  void onUpstreamClosed(Throwable cause) {
    if (done) {
      return;
    }
    upstreamKeepAlive = false;
    if (!headersSent && !requestWritten && !retried && cause == null) {
      // A pooled connection the upstream closed just as we wrote to it: the request never arrived.
      onRequestNotSent(null);
      return;
    }
    fail(Failure.UPSTREAM_RESET, "Upstream closed the connection before the response was complete"
        + (cause == null ? "" : ": " + describe(cause)));
  }

  void onClientClosed() {
    if (!done) {
      upstreamKeepAlive = false; // the upstream is mid-response: it cannot be reused
      status = 499; // nginx's "client closed request": the client left, nothing was answered to it
      finish("client_closed");
    }
  }

  private void firstByteTimedOut() {
    if (!done && !headersSent) {
      upstreamKeepAlive = false;
      fail(Failure.UPSTREAM_FIRST_BYTE_TIMEOUT,
          "Upstream sent no response within " + upstreamConfig.firstByteTimeout().toMillis() + " ms");
    }
  }

  private void checkIdle() {
    if (done) {
      return;
    }
    long limit = upstreamConfig.idleTimeout().toNanos();
    long idle = System.nanoTime() - lastUpstreamReadNanos;
    if (!client.channel().isWritable() || idle < limit) {
      // A client that is not reading is not the upstream's silence; the client idle timeout covers it.
      timer = schedule(this::checkIdle, client.channel().isWritable() ? limit - idle : limit);
      return;
    }
    upstreamKeepAlive = false;
    fail(Failure.UPSTREAM_IDLE_TIMEOUT,
        "Upstream response stalled for more than " + upstreamConfig.idleTimeout().toMillis() + " ms");
  }

  private void failConnect(Throwable cause) {
    boolean timedOut = cause instanceof ConnectTimeoutException || cause instanceof SslHandshakeTimeoutException;
    fail(timedOut ? Failure.UPSTREAM_CONNECT_TIMEOUT : Failure.UPSTREAM_CONNECT,
        (timedOut ? "Timed out connecting to the upstream: " : "Could not connect to the upstream: ") + describe(cause));
  }

  /** Answers with an error if nothing was sent yet; otherwise cuts the client's response short. */
  private void fail(Failure failure, String message) {
    if (done) {
      return;
    }
    if (headersSent) {
      client.flush();
      client.close();
    } else {
      status = failure.status().code();
      client.writeAndFlush(ErrorResponses.of(client.alloc(), failure, message))
          .addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
    }
    finish(failure.code());
  }

  private void complete() {
    client.flush();
    finish("ok");
  }

  private void finish(String outcome) {
    done = true;
    cancelTimer();
    if (upstream != null) {
      backend.unbind();
      if (upstreamKeepAlive && requestWritten) {
        context.pool().release(upstream);
      } else {
        upstream.close();
      }
    }
    request.release();
    context.traffic().finished();
    long now = System.nanoTime();
    context.accessLog().log(method, path, status, model, sentNanos < 0 ? -1 : now - sentNanos, now - startNanos, outcome);
    frontend.exchangeDone(client, this, outcome.equals("ok") || !headersSent);
  }

  private void discardUpstream() {
    if (upstream != null) {
      backend.unbind();
      upstream.close();
      upstream = null;
      requestWritten = false;
    }
  }

  private ScheduledFuture<?> schedule(Runnable task, long nanos) {
    return client.channel().eventLoop().schedule(task, nanos, TimeUnit.NANOSECONDS);
  }

  private void cancelTimer() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }

  private static String describe(Throwable t) {
    if (t == null) {
      return "connection closed";
    }
    String m = t.getMessage();
    return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
  }
}
