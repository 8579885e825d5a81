package dev.tollgate.proxy;

import static java.util.concurrent.TimeUnit.MILLISECONDS;

import dev.tollgate.budget.BudgetBook;
import dev.tollgate.budget.ShareWait;
import dev.tollgate.errors.ErrorResponses;
import dev.tollgate.errors.Failure;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;

/**
 * The client end of a connection: takes each request as the gate's head steps left it, runs the
 * rest of the gate ({@link GateStep#ON_BODY}), then dispatches it: one {@link ProxyExchange} at a
 * time. Every refusal, from any step, is answered here and only here, in the order requests came. A
 * pipelining client is served in order: a request that arrives while a call is in flight is queued
 * and reading pauses until the queue is served, so at most {@code server.max_pipelined} requests
 * are ever read ahead. Reading is not paused for every call, since a client that waits for its
 * answer sends nothing meanwhile and each pause costs system calls.
 */
public final class FrontendHandler extends ChannelInboundHandlerAdapter {
  private final ProxyContext context;
  private final Gate gate;
  private final ArrayDeque<Passage> queued = new ArrayDeque<>();
  private ProxyExchange current;
  private Passage waiting; // its budget share is being topped up (one database round trip)

  FrontendHandler(ProxyContext context, Gate gate) {
    this.context = context;
    this.gate = gate;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (!(msg instanceof Passage p)) {
      ReferenceCountUtil.release(msg);
      return;
    }
    if (current == null && waiting == null) {
      handle(ctx, p);
    } else if (queued.size() < context.config().server().maxPipelined()) {
      queued.add(p);
      ctx.channel().config().setAutoRead(false); // the codec may still hand over what it has read
    } else {
      p.releaseBody();
      ctx.close();
    }
  }

  private void handle(ChannelHandlerContext ctx, Passage p) {
    if (!p.refused()) {
      Refusal r = gate.onBody(p);
      if (r != null) {
        if (p.asked != null) {
          context.budgets().release(p.asked.id());
        }
        p.refuse(r);
      } else if (p.budgetWait != null) {
        waitForBudget(ctx, p);
        return;
      }
    }
    decided(ctx, p);
  }

  private void decided(ChannelHandlerContext ctx, Passage p) {
    if (p.refused()) {
      refuse(ctx, p);
    } else {
      dispatch(ctx, p);
    }
  }

  /**
   * This replica's share of a budget was short for this call and more was asked for: the budgets'
   * thread decides the call right after the top-up, and it goes on here with that decision; after
   * {@code budgets.top_up_timeout} it gives up waiting and is decided on what is known.
   */
  private void waitForBudget(ChannelHandlerContext ctx, Passage p) {
    waiting = p;
    ShareWait w = p.budgetWait;
    long timeout = context.config().budgets().topUpTimeout().toMillis();
    ctx.executor()
        .schedule(
            () -> {
              if (w.abandon()) {
                budgetAnswered(ctx, p, null);
              }
            },
            timeout,
            MILLISECONDS);
    w.decision().whenComplete((d, e) -> ctx.executor().execute(() -> budgetAnswered(ctx, p, d)));
  }

  private void budgetAnswered(ChannelHandlerContext ctx, Passage p, BudgetBook.Decision d) {
    if (waiting != p) {
      context.budgets().giveBack(d); // the client left meanwhile: nothing is reserved for it
      return;
    }
    waiting = null;
    Refusal r = gate.budgetAgain(p, d);
    if (r != null) {
      p.refuse(r);
    } else if (p.budgetWait != null) {
      waitForBudget(ctx, p); // calls of this replica took the new share first: once more
      return;
    }
    decided(ctx, p);
  }

  /** {@link GateStep#DISPATCH}: the socket handed over, or the call started. */
  private void dispatch(ChannelHandlerContext ctx, Passage p) {
    if (p.socket && !context.traffic().draining()) {
      context.budgets().release(p.asked.id()); // a socket's turns are settled one by one
      p.dispatched();
      var pool = context.upstreams().get(p.out.upstream().name());
      context
          .sockets()
          .open(
              ctx,
              p.request,
              new SocketHandoff.Opened(p.asked, p.out.upstream(), pool, p.startNanos, p.key));
      return;
    }
    if (p.socket || !context.traffic().tryStart()) {
      context.budgets().release(p.asked.id());
      // Shutting down: refused before anything is forwarded, so no call is cut by the final close.
      p.refuse(
          Refusal.of(
                  GateStep.DISPATCH,
                  Failure.SHUTTING_DOWN,
                  "Tollgate is shutting down: retry on a new connection")
              .closing());
      refuse(ctx, p);
      return;
    }
    p.dispatched();
    boolean http10 = p.head.protocolVersion().equals(HttpVersion.HTTP_1_0);
    CallStart call =
        new CallStart(p.asked, p.startNanos, p.out.injectedUsage(), http10, p.out.upstream());
    current = new ProxyExchange(ctx, this, context, p.request, call);
    current.start();
  }

  /** The one place a refusal, from whichever step, is answered and logged. */
  private void refuse(ChannelHandlerContext ctx, Passage p) {
    Refusal r = p.refusal;
    boolean closing = r.close() || !p.keepAlive();
    p.releaseBody();
    FullHttpResponse response = ErrorResponses.of(ctx.alloc(), r.failure(), r.message());
    r.headers().forEach(response.headers()::set);
    String id = ResponseHeaders.identify(response);
    if (closing) {
      response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
      ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    } else {
      ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
    }
    long elapsed = LoopClock.nanoTime(ctx.channel()) - p.startNanos;
    context
        .accessLog()
        .refused(
            id,
            p.head.method().name(),
            p.loggedPath(),
            r.failure().status().code(),
            elapsed,
            r.failure().outcome());
    TraceHeaders.refused(context.tracing(), p, r, id, elapsed);
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
    if (current != null || waiting != null) {
      return;
    }
    if (context.traffic().draining() && queued.isEmpty()) {
      ctx.close();
      return;
    }
    Passage next = queued.poll();
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
    if (waiting != null) {
      // Nothing is reserved for it yet; a decision that comes later gives its hold back.
      waiting.budgetWait.abandon();
      waiting.releaseBody();
      waiting = null;
    }
    if (current != null) {
      current.onClientClosed();
    }
  }

  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt == Draining.INSTANCE) {
      // Between calls the connection can go now; a busy one ends after its response (which
      // carries "Connection: close" while draining).
      if (current == null && waiting == null) {
        ctx.close();
      }
      return;
    }
    if (evt instanceof IdleStateEvent) {
      // Idle between calls, or a client that stopped reading mid-response: let it go. A call
      // still waiting on the upstream is bounded by the upstream timeouts instead.
      if ((current == null && waiting == null) || !ctx.channel().isWritable()) {
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
    Passage p;
    while ((p = queued.poll()) != null) {
      p.releaseBody();
    }
  }
}
