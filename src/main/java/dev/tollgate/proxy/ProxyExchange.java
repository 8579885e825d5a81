package dev.tollgate.proxy;

import dev.tollgate.call.Outcome;
import dev.tollgate.errors.ErrorResponses;
import dev.tollgate.errors.Failure;
import dev.tollgate.openai.ResponseFacts;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import java.util.concurrent.TimeUnit;

/**
 * One call relayed from a client to the upstream and back, entirely on the client's event loop.
 * Each upstream read is written to the client and flushed on read-complete; the upstream reads on
 * its own while the client is writable and stops when it is not (Netty's proxy example reads one
 * message per successful write instead; this saves a system call per read). A {@link ResponseTap}
 * reads usage on the way past; a client gone after the request was sent leaves the response read to
 * its end (bounded), since the provider bills it. Its life is an {@link ExchangeState}.
 */
final class ProxyExchange {
  private final ChannelHandlerContext client;
  private final FrontendHandler frontend;
  private final ProxyContext context;
  private final FullHttpRequest request; // owned here until metering releases it
  private final CallStart call;

  private final UpstreamLink upstream;
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

  ProxyExchange(
      ChannelHandlerContext client,
      FrontendHandler frontend,
      ProxyContext context,
      FullHttpRequest request,
      CallStart call) {
    this.client = client;
    this.frontend = frontend;
    this.context = context;
    this.request = request;
    this.call = call;
    this.upstream =
        new UpstreamLink(
            context.upstreams().get(call.upstream().name()), client.channel().eventLoop());
    this.timers = new UpstreamTimers(client.channel(), call.upstream().config(), this::onTimeout);
  }

  void start() {
    upstream.acquire(this);
  }

  /** Whether a connection arriving now is still wanted: only while connecting. */
  boolean wantsConnection() {
    return state == ExchangeState.CONNECTING;
  }

  private void onTimeout(Failure failure, String message) {
    if (state != ExchangeState.DONE) {
      upstreamKeepAlive = false;
      fail(failure, message);
    }
  }

  /** The connection is ready: send the request. */
  void onConnected() {
    state = state.to(ExchangeState.SENDING);
    sentNanos = LoopClock.nanoTime(client.channel());
    timers.requestSent(sentNanos);
    Channel ch = upstream.channel();
    ch.writeAndFlush(UpstreamRequests.attempt(request))
        .addListener(
            w -> {
              // Only a request still being sent moves on (an early answer, a retry, the end first).
              if (state == ExchangeState.SENDING && upstream.channel() == ch) {
                if (w.isSuccess()) {
                  state = state.to(ExchangeState.AWAITING_HEAD);
                } else {
                  onRequestNotSent(w.cause());
                }
              }
            });
  }

  /** The request did not reach the upstream, so it is safe to try once more on a new connection. */
  private void onRequestNotSent(Throwable cause) {
    upstream.end(false);
    timers.cancel();
    if (!retried) {
      retried = true;
      state = state.to(ExchangeState.CONNECTING);
      upstream.acquire(this);
    } else {
      fail(
          Failure.UPSTREAM_CONNECT,
          "Could not send the request upstream: " + Causes.describe(cause));
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
      fail(
          Failure.UPSTREAM_BAD_RESPONSE,
          "Upstream sent an invalid HTTP response: "
              + Causes.describe(msg.decoderResult().cause()));
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
        (flushNow ? client.writeAndFlush(out) : client.write(out))
            .addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
      }
      if (last) {
        complete();
      } else if (state == ExchangeState.DRAINING
          && drainedBytes > context.config().usage().drainMaxBytes()) {
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
      state = state.to(ExchangeState.RELAYING);
    }
    status = response.status().code();
    ResponseHeaders.forClient(
        response, request.method(), call.clientHttp10(), context.traffic().draining());
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
      upstream.autoRead(false);
    }
  }

  void onClientWritable() {
    if (state != ExchangeState.DONE && upstream.attached()) {
      timers.paused(false);
      timers.read();
      upstream.autoRead(true);
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
    fail(
        Failure.UPSTREAM_RESET,
        "Upstream closed the connection before the response was complete"
            + (cause == null ? "" : ": " + Causes.describe(cause)));
  }

  void onClientClosed() {
    if (state == ExchangeState.DONE || state == ExchangeState.DRAINING) {
      return;
    }
    upstreamKeepAlive = false; // the upstream is mid-response: it cannot be reused
    status = 499; // nginx's "client closed request": the client left before the answer ended
    long drainNanos = context.config().usage().drainAfterDisconnect().toNanos();
    if (upstream.attached()
        && state.requestSent()
        && drainNanos > 0
        && call.asked().api().metered()) {
      // Keep reading: the provider bills this call, so capture its usage.
      state = state.to(ExchangeState.DRAINING);
      timers.paused(false);
      client
          .channel()
          .eventLoop()
          .schedule(() -> finish(Outcome.CLIENT_CLOSED), drainNanos, TimeUnit.NANOSECONDS);
      upstream.autoRead(true);
      return;
    }
    finish(Outcome.CLIENT_CLOSED);
  }

  /** What the tap read; a tap that fails here costs the call its usage, never its row or slot. */
  private ResponseFacts facts() {
    try {
      return tap == null ? ResponseFacts.NONE : tap.release();
    } catch (RuntimeException e) {
      return ResponseFacts.NONE; // metered as estimated: usage_missing
    }
  }

  void onConnectFailed(Throwable cause) {
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
    if (state == ExchangeState.DRAINING) {
      finish(Outcome.CLIENT_CLOSED);
    } else {
      client.flush(); // the last content is written; finish() may hand the connection on
      finish(Outcome.OK);
    }
  }

  private void finish(Outcome outcome) {
    if (state == ExchangeState.DONE) {
      return;
    }
    ExchangeState last = state;
    state = state.to(ExchangeState.DONE);
    timers.cancel();
    upstream.end(upstreamKeepAlive && last == ExchangeState.RELAYING);
    ResponseFacts facts = facts();
    context.traffic().finished();
    call.meter(
        context.metering(),
        call.ended(
            status, sentNanos, firstByteNanos, LoopClock.nanoTime(client.channel()), outcome),
        facts,
        request);
    frontend.exchangeDone(
        client,
        this,
        last != ExchangeState.DRAINING && (outcome.ok() || last != ExchangeState.RELAYING));
  }
}
