package dev.tollgate.proxy;

import dev.tollgate.attribution.Attribution;
import dev.tollgate.budget.BudgetGate;
import dev.tollgate.call.Api;
import dev.tollgate.call.Call;
import dev.tollgate.errors.ErrorResponses;
import dev.tollgate.errors.Failure;
import dev.tollgate.metering.CallIds;
import dev.tollgate.openai.RequestSummary;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Map;

/**
 * The client end of a connection: routes each whole request and runs one {@link ProxyExchange} at a
 * time. A pipelining client is served in order: a request that arrives while a call is in flight is
 * queued and reading pauses until the queue is served, so at most {@code server.max_pipelined}
 * requests are ever read ahead. Reading is not paused for every call, since a client that waits for
 * its answer sends nothing meanwhile and each pause costs system calls.
 */
public final class FrontendHandler extends ChannelInboundHandlerAdapter {
  private final ProxyContext context;
  private final Admission admission;
  private final ArrayDeque<FullHttpRequest> queued = new ArrayDeque<>();
  private ProxyExchange current;

  public FrontendHandler(ProxyContext context) {
    this.context = context;
    this.admission = new Admission(context.attributor(), context.config());
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof FullHttpRequest request)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (current == null) {
      handle(ctx, request);
    } else if (queued.size() < context.config().server().maxPipelined()) {
      queued.add(request);
      ctx.channel()
          .config()
          .setAutoRead(false); // the aggregator may still hand over what it has read
    } else {
      request.release();
      ctx.close();
    }
  }

  private void handle(ChannelHandlerContext ctx, FullHttpRequest request) {
    long start = LoopClock.nanoTime(ctx.channel());
    if (request.decoderResult().isFailure()) {
      Throwable cause = request.decoderResult().cause();
      Failure failure =
          cause instanceof TooLongFrameException ? Failure.HEADERS_TOO_LARGE : Failure.BAD_REQUEST;
      String why = "Malformed HTTP request: " + cause.getMessage();
      refuse(ctx, request, failure, why, request.uri(), start, true);
      return;
    }
    Route route =
        Route.resolve(request.method(), request.uri(), context.config().upstream().basePath());
    if (route.refused()) {
      refuse(ctx, request, route.failure(), route.message(), route.path(), start, false);
      return;
    }
    boolean socket = SocketHandoff.isUpgrade(request);
    Api api = socket ? SocketHandoff.api(route) : Api.of(route.path());
    if (api == null || (socket && context.sockets() == null)) {
      String why =
          "WebSockets are "
              + (api == null
                  ? "carried on /v1/responses and /v1/realtime only"
                  : "not carried by this server");
      refuse(ctx, request, Failure.BAD_REQUEST, why, route.path(), start, true);
      return;
    }
    RequestSummary summary =
        socket
            ? SocketHandoff.summary(request.uri())
            : route.summary(request.content(), context.config().routing());
    boolean http10 = request.protocolVersion().equals(HttpVersion.HTTP_1_0);
    Attribution who = attribute(ctx, request, route, summary, start);
    if (who == null) {
      return;
    }
    Outbound out = Outbound.plan(context, request, route, api, summary, who);
    request = out.request();
    if (out.refused()) {
      refuse(ctx, request, out.failure(), out.message(), route.path(), start, false);
      return;
    }
    Call.Request asked =
        new Call.Request(
            CallIds.next(System.currentTimeMillis()),
            Instant.now(),
            api,
            request.method().name(),
            route.path(),
            summary.model(),
            summary.serviceTier(),
            summary.stream(),
            who);
    BudgetGate.Verdict spend = SpendGuard.check(context, api, asked, summary, request);
    if (!spend.admitted()) {
      refuse(
          ctx,
          request,
          SpendGuard.failure(spend),
          spend.refusal(),
          route.path(),
          start,
          false,
          spend.headers());
      return;
    }
    if (socket && !context.traffic().draining()) {
      context.budgets().release(asked.id()); // a socket's turns are settled one by one
      var pool = context.upstreams().get(out.upstream().name());
      context
          .sockets()
          .open(ctx, request, new SocketHandoff.Opened(asked, out.upstream(), pool, start));
      return;
    }
    if (socket || !context.traffic().tryStart()) {
      context.budgets().release(asked.id());
      // Shutting down: refused before anything is forwarded, so no call is cut by the final close.
      refuse(
          ctx,
          request,
          Failure.SHUTTING_DOWN,
          "Tollgate is shutting down: retry on a new connection",
          route.path(),
          start,
          true);
      return;
    }
    CallStart call = new CallStart(asked, start, out.injectedUsage(), http10, out.upstream());
    current = new ProxyExchange(ctx, this, context, request, call);
    current.start();
  }

  /** Who the call is charged to; null when it was refused (and answered). */
  private Attribution attribute(
      ChannelHandlerContext ctx,
      FullHttpRequest request,
      Route route,
      RequestSummary summary,
      long start) {
    Admission.Decision d = admission.decide(request.headers(), summary.user());
    if (d.refused()) {
      refuse(ctx, request, d.failure(), d.message(), route.path(), start, false);
      return null;
    }
    return d.attribution();
  }

  private void refuse(
      ChannelHandlerContext ctx,
      FullHttpRequest request,
      Failure failure,
      String message,
      String path,
      long start,
      boolean close) {
    refuse(ctx, request, failure, message, path, start, close, Map.of());
  }

  private void refuse(
      ChannelHandlerContext ctx,
      FullHttpRequest request,
      Failure failure,
      String message,
      String path,
      long start,
      boolean close,
      Map<String, String> headers) {
    String method = request.method().name();
    request.release();
    FullHttpResponse response = ErrorResponses.of(ctx.alloc(), failure, message);
    headers.forEach(response.headers()::set);
    String id = ResponseHeaders.identify(response);
    boolean closing = close || !HttpUtil.isKeepAlive(request);
    if (closing) {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    } else {
      ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
    }
    context
        .accessLog()
        .refused(
            id,
            method,
            path,
            failure.status().code(),
            LoopClock.nanoTime(ctx.channel()) - start,
            failure.outcome());
    if (closing) {
      drainQueue();
    } else {
      serveNext(ctx); // a pipelined request behind a refused one is served, not left waiting
    }
  }

  /**
   * Called by the exchange when it has ended; serves the next queued request or resumes reading.
   */
  void exchangeDone(ChannelHandlerContext ctx, ProxyExchange exchange, boolean connectionUsable) {
    if (current != exchange) {
      return;
    }
    current = null;
    if (!connectionUsable || !ctx.channel().isActive()) {
      drainQueue();
      return;
    }
    serveNext(ctx);
  }

  /** Serves the next queued request, or resumes reading once the queue is empty. */
  private void serveNext(ChannelHandlerContext ctx) {
    if (current != null) {
      return;
    }
    if (context.traffic().draining() && queued.isEmpty()) {
      ctx.close();
      return;
    }
    FullHttpRequest next = queued.poll();
    if (next != null) {
      handle(ctx, next);
    } else {
      ctx.channel().config().setAutoRead(true);
    }
  }

  @Override
  public void channelWritabilityChanged(ChannelHandlerContext ctx) {
    if (current != null && ctx.channel().isWritable()) {
      current.onClientWritable();
    }
    ctx.fireChannelWritabilityChanged();
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    drainQueue();
    if (current != null) {
      current.onClientClosed();
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt == Draining.INSTANCE) {
      // Between calls the connection can go now; a busy one ends after its response (which
      // carries "Connection: close" while draining).
      if (current == null) {
        ctx.close();
      }
      return;
    }
    if (evt instanceof IdleStateEvent) {
      // Idle between calls, or a client that stopped reading mid-response: let it go. A call
      // still waiting on the upstream is bounded by the upstream timeouts instead.
      if (current == null || !ctx.channel().isWritable()) {
        ctx.close();
      }
      return;
    }
    ctx.fireUserEventTriggered(evt);
  }

  @Override
  public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
    ctx.close();
  }

  private void drainQueue() {
    FullHttpRequest r;
    while ((r = queued.poll()) != null) {
      r.release();
    }
  }
}
