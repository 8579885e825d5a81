package dev.tollgate.proxy;

import dev.tollgate.errors.ErrorResponses;
import dev.tollgate.errors.Failure;
import dev.tollgate.metering.AccessLog;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A deadline for reading each request, head and body, from its first byte: a client that trickles a
 * byte a second keeps no connection (and no half-read body) beyond {@code
 * server.request_read_timeout}. The idle timeout cannot do this, since every byte resets it. Two
 * handlers share the deadline: one before the HTTP codec sees the first raw bytes of a request, one
 * after it sees the request end.
 */
final class RequestDeadline {
  private final long nanos;
  private final AccessLog accessLog;
  private ScheduledFuture<?> timer; // set while a request is being read; only the loop touches it

  private RequestDeadline(Duration timeout, AccessLog accessLog) {
    this.nanos = timeout.toNanos();
    this.accessLog = accessLog;
  }

  /** The two handlers, for one connection: before the codec, and after it. */
  static ChannelHandler[] handlers(Duration timeout, AccessLog accessLog) {
    RequestDeadline d = new RequestDeadline(timeout, accessLog);
    return new ChannelHandler[] {d.new Start(), d.new End()};
  }

  /** Arms the deadline at the first bytes of a request. */
  private final class Start extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (timer == null && msg instanceof ByteBuf b && b.isReadable()) {
        timer = ctx.executor().schedule(() -> expire(ctx), nanos, TimeUnit.NANOSECONDS);
      }
      ctx.fireChannelRead(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
      cancel();
      ctx.fireChannelInactive();
    }
  }

  /** Disarms it once the request has been read whole. */
  private final class End extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
      if (msg instanceof LastHttpContent) {
        cancel();
      }
      ctx.fireChannelRead(msg);
    }
  }

  private void expire(ChannelHandlerContext ctx) {
    timer = null;
    var response =
        ErrorResponses.of(
            ctx.alloc(),
            Failure.REQUEST_TIMEOUT,
            "The request was not received within "
                + TimeUnit.NANOSECONDS.toMillis(nanos)
                + " ms (server.request_read_timeout)");
    response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    String id = ResponseHeaders.identify(response);
    // From the pipeline's tail: this handler sits before the codec that encodes responses.
    ctx.channel().writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    accessLog.refused(id, "-", "-", 408, nanos, Failure.REQUEST_TIMEOUT.outcome());
  }

  private void cancel() {
    if (timer != null) {
      timer.cancel(false);
      timer = null;
    }
  }
}
