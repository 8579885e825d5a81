package dev.tollgate.proxy;

import dev.tollgate.config.UpstreamConfig;
import dev.tollgate.errors.ErrorResponses;
import dev.tollgate.errors.Failure;
import dev.tollgate.metering.CallContext;
import dev.tollgate.openai.ResponseFacts;
import io.netty.buffer.ByteBufInputStream;
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
import io.netty.util.AsciiString;
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
 * writable, so a slow client slows the upstream instead of growing a buffer. A {@link
 * ResponseTap} reads usage on the way past. If the client leaves after the request was sent, the
 * upstream response is still read to its end (bounded), since the provider bills it regardless.
 */
final class ProxyExchange {
  static final AsciiString REQUEST_ID = AsciiString.cached("x-tollgate-request-id");

  private final ChannelHandlerContext client;
  private final FrontendHandler frontend;
  private final ProxyContext context;
  private final UpstreamConfig upstreamConfig;
  private final FullHttpRequest request; // owned here until metering releases it
  private final CallStart call;

  private Channel upstream;
  private BackendHandler backend;
  private ResponseTap tap;
  private ScheduledFuture<?> timer;
  private long sentNanos = -1;
  private long firstByteNanos = -1;
  private long lastUpstreamReadNanos;
  private long drainedBytes;
  private int status;
  private boolean requestWritten;
  private boolean upstreamKeepAlive;
  private boolean headersSent;
  private boolean clientGone;
  private boolean retried;
  private boolean done;

  ProxyExchange(ChannelHandlerContext client, FrontendHandler frontend, ProxyContext context, FullHttpRequest request,
      CallStart call) {
    this.client = client;
    this.frontend = frontend;
    this.context = context;
    this.upstreamConfig = context.config().upstream();
    this.request = request;
    this.call = call;
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
    ch.writeAndFlush(request.retainedDuplicate()).addListener(w -> {
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
      HttpContent out = tap == null ? content : tap.onContent(content);
      if (clientGone) {
        drainedBytes += out.content().readableBytes();
        out.release();
      } else {
        client.write(out).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
      }
      if (last) {
        complete();
      } else if (clientGone && drainedBytes > context.config().usage().drainMaxBytes()) {
        finish("client_closed");
      }
    }
  }

  private void onResponseHead(HttpResponse response) {
    cancelTimer();
    firstByteNanos = lastUpstreamReadNanos;
    timer = schedule(this::checkIdle, upstreamConfig.idleTimeout().toNanos());
    upstreamKeepAlive = HttpUtil.isKeepAlive(response);
    if (response.status().code() / 100 == 2) {
      tap = ResponseTap.of(response, call.injectedUsage());
    }
    if (clientGone) {
      return;
    }
    status = response.status().code();
    ResponseHeaders.forClient(response, request.method(), call.clientHttp10(), context.traffic().draining());
    response.headers().set(REQUEST_ID, call.id());
    headersSent = true;
    client.write(response).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
  }

  void onUpstreamReadComplete() {
    if (done) {
      return;
    }
    if (clientGone) {
      upstream.read();
      return;
    }
    client.flush();
    if (client.channel().isWritable()) {
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
    if (!headersSent && !clientGone && !requestWritten && !retried && cause == null) {
      // A pooled connection the upstream closed just as we wrote to it: the request never arrived.
      onRequestNotSent(null);
      return;
    }
    fail(Failure.UPSTREAM_RESET, "Upstream closed the connection before the response was complete"
        + (cause == null ? "" : ": " + describe(cause)));
  }

  void onClientClosed() {
    if (done || clientGone) {
      return;
    }
    upstreamKeepAlive = false; // the upstream is mid-response: it cannot be reused
    status = 499; // nginx's "client closed request": the client left before the answer ended
    long drainNanos = context.config().usage().drainAfterDisconnect().toNanos();
    if (upstream != null && requestWritten && drainNanos > 0 && call.api().metered()) {
      clientGone = true; // keep reading: the provider bills this call, so capture its usage
      schedule(() -> finish("client_closed"), drainNanos);
      upstream.read();
      return;
    }
    finish("client_closed");
  }

  private void firstByteTimedOut() {
    if (!done && firstByteNanos < 0) {
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
    boolean waitingOnClient = !clientGone && !client.channel().isWritable();
    if (waitingOnClient || idle < limit) {
      // A client that is not reading is not the upstream's silence; the client idle timeout covers it.
      timer = schedule(this::checkIdle, waitingOnClient ? limit : limit - idle);
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
    if (headersSent || clientGone) {
      client.flush();
      client.close();
    } else {
      status = failure.status().code();
      var response = ErrorResponses.of(client.alloc(), failure, message);
      response.headers().set(REQUEST_ID, call.id());
      client.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
    }
    finish(failure.code());
  }

  private void complete() {
    if (!clientGone) {
      client.flush();
    }
    finish(clientGone ? "client_closed" : "ok");
  }

  private void finish(String outcome) {
    if (done) {
      return;
    }
    done = true;
    cancelTimer();
    if (upstream != null) {
      backend.unbind();
      if (upstreamKeepAlive && requestWritten && !clientGone) {
        context.pool().release(upstream);
      } else {
        upstream.close();
      }
    }
    ResponseFacts facts = tap == null ? ResponseFacts.NONE : tap.facts();
    if (tap != null) {
      tap.release();
    }
    context.traffic().finished();
    long now = System.nanoTime();
    CallContext ctx = new CallContext(call.id(), call.start(), call.api(), call.method(), call.path(), call.model(),
        call.tier(), call.stream(), status, sentNanos < 0 ? -1 : now - sentNanos,
        firstByteNanos < 0 || sentNanos < 0 ? -1 : firstByteNanos - sentNanos, now - call.startNanos(), outcome);
    context.metering().complete(
        ctx, facts, () -> new ByteBufInputStream(request.content().duplicate()), request::release);
    frontend.exchangeDone(client, this, !clientGone && (outcome.equals("ok") || !headersSent));
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
