package dev.tollgate.proxy;

import dev.tollgate.call.Outcome;
import dev.tollgate.config.UpstreamConfig;
import dev.tollgate.errors.ErrorResponses;
import dev.tollgate.errors.Failure;
import dev.tollgate.openai.ResponseFacts;
import io.netty.buffer.ByteBufInputStream;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * One call relayed from a client to the upstream and back. Runs entirely on the client's event
 * loop: the upstream connection is acquired there, and every callback arrives there.
 *
 * <p>The response is relayed as it arrives: each upstream read is written to the client and
 * flushed on read-complete. The upstream channel reads on its own while the client is writable
 * and stops when it is not, so a slow client slows the upstream instead of growing a buffer.
 * (Netty's proxy example instead reads one message at a time, asking for the next when the last
 * write succeeded; toggling auto-read only on writability changes saves a system call per read.)
 * A {@link ResponseTap} reads usage on the way past. If the client leaves after the request was
 * sent, the upstream response is still read to its end (bounded), since the provider bills it
 * regardless. Its life is an {@link ExchangeState}; every move is checked.
 */
final class ProxyExchange {
  private final ChannelHandlerContext client;
  private final FrontendHandler frontend;
  private final ProxyContext context;
  private final UpstreamConfig upstreamConfig;
  private final FullHttpRequest request; // owned here until metering releases it
  private final CallStart call;

  private Channel upstream;
  private BackendHandler backend;
  private ResponseTap tap;
  private final UpstreamTimers timers;
  private long sentNanos = -1;
  private long firstByteNanos = -1;
  private long drainedBytes;
  private int status;
  private ExchangeState state = ExchangeState.CONNECTING;
  // Facts about the attempt rather than phases of it:
  private boolean upstreamKeepAlive; // the upstream said its connection can carry another call
  private boolean retried; // the one retry of a request that never left was used
  private boolean firstChunkFlushed; // a stream's first bytes went out at once

  ProxyExchange(ChannelHandlerContext client, FrontendHandler frontend, ProxyContext context, FullHttpRequest request,
      CallStart call) {
    this.client = client;
    this.frontend = frontend;
    this.context = context;
    this.upstreamConfig = context.config().upstream();
    this.request = request;
    this.call = call;
    this.timers = new UpstreamTimers(client.channel(), upstreamConfig, (failure, message) -> {
      if (state != ExchangeState.DONE) {
        upstreamKeepAlive = false;
        fail(failure, message);
      }
    });
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
    if (state == ExchangeState.DONE) {
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
    if (state == ExchangeState.CONNECTING && upstream == ch && handshake.isSuccess()) {
      send();
    } else if (state == ExchangeState.CONNECTING && upstream == ch) {
      discardUpstream();
      failConnect(handshake.cause());
    }
  }

  private void send() {
    move(ExchangeState.SENDING);
    sentNanos = LoopClock.nanoTime(client.channel());
    timers.requestSent(sentNanos);
    Channel ch = upstream;
    ch.writeAndFlush(request.retainedDuplicate()).addListener(w -> {
      // Only a request still being sent moves on: an early answer, a retry or the end came first.
      if (state == ExchangeState.SENDING && upstream == ch) {
        if (w.isSuccess()) {
          move(ExchangeState.AWAITING_HEAD);
        } else {
          onRequestNotSent(w.cause());
        }
      }
    });
  }

  /** The request did not reach the upstream, so it is safe to try once more on a new connection. */
  private void onRequestNotSent(Throwable cause) {
    discardUpstream();
    timers.cancel();
    if (!retried) {
      retried = true;
      move(ExchangeState.CONNECTING);
      connect();
    } else {
      fail(Failure.UPSTREAM_CONNECT, "Could not send the request upstream: " + Causes.describe(cause));
    }
  }

  void onUpstreamMessage(HttpObject msg) {
    if (state == ExchangeState.DONE) {
      ReferenceCountUtil.release(msg);
      return;
    }
    timers.read();
    if (msg.decoderResult().isFailure()) {
      ReferenceCountUtil.release(msg);
      upstreamKeepAlive = false;
      fail(Failure.UPSTREAM_BAD_RESPONSE, "Upstream sent an invalid HTTP response: " + Causes.describe(msg.decoderResult().cause()));
      return;
    }
    if (msg instanceof HttpResponse response) {
      onResponseHead(response);
    }
    if (msg instanceof HttpContent content) {
      boolean last = content instanceof LastHttpContent;
      HttpContent out = tap == null ? content : tap.onContent(content);
      if (state == ExchangeState.DRAINING) {
        drainedBytes += out.content().readableBytes();
        out.release();
      } else {
        // A stream's first bytes go out now, not at the end of this read: when the head, the first
        // events and the end arrive together, the rest's parsing and metering would delay them.
        boolean flushNow = call.stream() && !firstChunkFlushed && out.content().isReadable();
        firstChunkFlushed |= flushNow;
        (flushNow ? client.writeAndFlush(out) : client.write(out)).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
      }
      if (last) {
        complete();
      } else if (state == ExchangeState.DRAINING && drainedBytes > context.config().usage().drainMaxBytes()) {
        finish(Outcome.CLIENT_CLOSED);
      }
    }
  }

  private void onResponseHead(HttpResponse response) {
    firstByteNanos = timers.lastReadNanos();
    timers.headReceived();
    // An answer before the request was written in full leaves the connection mid-request: no reuse.
    upstreamKeepAlive = HttpUtil.isKeepAlive(response) && state != ExchangeState.SENDING;
    if (response.status().code() / 100 == 2) {
      tap = ResponseTap.of(response, call.injectedUsage());
    }
    if (state == ExchangeState.DRAINING) {
      return;
    }
    if (state != ExchangeState.RELAYING) { // an interim 1xx head came first: the final one follows
      move(ExchangeState.RELAYING);
    }
    status = response.status().code();
    ResponseHeaders.forClient(response, request.method(), call.clientHttp10(), context.traffic().draining());
    response.headers().set(ResponseHeaders.REQUEST_ID, call.id());
    client.write(response).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
  }

  void onUpstreamReadComplete() {
    if (state == ExchangeState.DONE || state == ExchangeState.DRAINING) {
      return;
    }
    client.flush();
    if (!client.channel().isWritable()) {
      timers.paused(true);
      upstream.config().setAutoRead(false);
    }
  }

  void onClientWritable() {
    if (state != ExchangeState.DONE && upstream != null) {
      timers.paused(false);
      timers.read();
      upstream.config().setAutoRead(true);
    }
  }

  void onUpstreamClosed(Throwable cause) {
    if (state == ExchangeState.DONE) {
      return;
    }
    upstreamKeepAlive = false;
    if (!state.requestSent() && !retried && cause == null) {
      // A pooled connection the upstream closed just as we wrote to it: the request never arrived.
      onRequestNotSent(null);
      return;
    }
    fail(Failure.UPSTREAM_RESET, "Upstream closed the connection before the response was complete"
        + (cause == null ? "" : ": " + Causes.describe(cause)));
  }

  void onClientClosed() {
    if (state == ExchangeState.DONE || state == ExchangeState.DRAINING) {
      return;
    }
    upstreamKeepAlive = false; // the upstream is mid-response: it cannot be reused
    status = 499; // nginx's "client closed request": the client left before the answer ended
    long drainNanos = context.config().usage().drainAfterDisconnect().toNanos();
    if (upstream != null && state.requestSent() && drainNanos > 0 && call.asked().api().metered()) {
      move(ExchangeState.DRAINING); // keep reading: the provider bills this call, so capture its usage
      timers.paused(false);
      client.channel().eventLoop().schedule(() -> finish(Outcome.CLIENT_CLOSED), drainNanos, TimeUnit.NANOSECONDS);
      upstream.config().setAutoRead(true);
      return;
    }
    finish(Outcome.CLIENT_CLOSED);
  }

  private void failConnect(Throwable cause) {
    Failure failure = Causes.connectFailure(cause);
    fail(failure, Causes.connectMessage(failure, cause));
  }

  /** Answers with an error if nothing was sent yet; otherwise cuts the client's response short. */
  private void fail(Failure failure, String message) {
    if (state == ExchangeState.DONE) {
      return;
    }
    if (state == ExchangeState.RELAYING || state == ExchangeState.DRAINING) {
      client.flush();
      client.close();
    } else {
      status = failure.status().code();
      var response = ErrorResponses.of(client.alloc(), failure, message);
      response.headers().set(ResponseHeaders.REQUEST_ID, call.id());
      client.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
    }
    finish(failure.outcome());
  }

  private void complete() {
    boolean clientGone = state == ExchangeState.DRAINING;
    if (!clientGone) {
      client.flush(); // the last content is written; finish() may hand the connection on
    }
    finish(clientGone ? Outcome.CLIENT_CLOSED : Outcome.OK);
  }

  private void finish(Outcome outcome) {
    if (state == ExchangeState.DONE) {
      return;
    }
    ExchangeState last = state;
    move(ExchangeState.DONE);
    timers.cancel();
    if (upstream != null) {
      backend.unbind();
      if (upstreamKeepAlive && last == ExchangeState.RELAYING) {
        context.pool().release(upstream);
      } else {
        upstream.close();
      }
    }
    ResponseFacts facts = tap == null ? ResponseFacts.NONE : tap.release();
    context.traffic().finished();
    context.metering().complete(call.asked(), call.ended(status, sentNanos, firstByteNanos, LoopClock.nanoTime(client.channel()), outcome),
        facts, () -> new ByteBufInputStream(request.content().duplicate()), request::release);
    frontend.exchangeDone(client, this, last != ExchangeState.DRAINING && (outcome.ok() || last != ExchangeState.RELAYING));
  }

  private void move(ExchangeState next) {
    if (!state.canMoveTo(next)) {
      throw new IllegalStateException("exchange " + call.id() + " cannot move from " + state + " to " + next);
    }
    state = next;
  }


  private void discardUpstream() {
    if (upstream != null) {
      backend.unbind();
      upstream.close();
      upstream = null;
    }
  }
}
