package dev.tollgate.proxy;

import dev.tollgate.errors.ErrorResponses;
import dev.tollgate.errors.Failure;
import dev.tollgate.metering.AccessLog;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.ReferenceCountUtil;

/**
 * Bounds the request-body bytes all connections together may be receiving at once ({@code
 * server.max_buffered_request_bytes}): each body reserves its declared length (a chunked one, each
 * chunk as it comes) before it is buffered, and gives it back once received. When there is no room
 * the request is answered 503 at once and its body discarded, so many parked uploads cannot fill
 * the process's memory. One per connection, between the HTTP codec and the aggregator.
 */
final class BodyBudget extends ChannelInboundHandlerAdapter {
  private final Traffic traffic;
  private final AccessLog accessLog;
  private long reserved; // held for the body being received on this connection
  private boolean chunked; // the body's length is not declared: reserve chunk by chunk
  private boolean discarding; // the rest of a refused request's body

  BodyBudget(Traffic traffic, AccessLog accessLog) {
    this.traffic = traffic;
    this.accessLog = accessLog;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (discarding) {
      discarding = !(msg instanceof LastHttpContent);
      ReferenceCountUtil.release(msg);
      return;
    }
    if (msg instanceof HttpRequest request) {
      chunked = !HttpUtil.isContentLengthSet(request);
      long declared = HttpUtil.getContentLength(request, 0L);
      if (declared > 0 && !traffic.reserveBody(declared)) {
        refuse(ctx, request);
        discarding = !(msg instanceof LastHttpContent);
        ReferenceCountUtil.release(msg);
        return;
      }
      reserved = declared;
    } else if (chunked && msg instanceof HttpContent c && c.content().isReadable()) {
      long n = c.content().readableBytes();
      if (!traffic.reserveBody(n)) {
        // Part of this body is buffered further on already: no clean answer is left, so end it.
        ReferenceCountUtil.release(msg);
        giveBack();
        ctx.close();
        return;
      }
      reserved += n;
    }
    ctx.fireChannelRead(msg);
    if (msg instanceof LastHttpContent) {
      giveBack(); // received whole: the aggregator hands it on now
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    giveBack();
    ctx.fireChannelInactive();
  }

  private void giveBack() {
    if (reserved > 0) {
      traffic.releaseBody(reserved);
      reserved = 0;
    }
  }

  private void refuse(ChannelHandlerContext ctx, HttpRequest request) {
    var response =
        ErrorResponses.of(
            ctx.alloc(),
            Failure.BUSY,
            "Too many request bodies are being received at once; retry shortly");
    String id = ResponseHeaders.identify(response);
    ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
    accessLog.refused(
        id,
        request.method().name(),
        new QueryStringDecoder(request.uri()).path(),
        Failure.BUSY.status().code(),
        -1,
        Failure.BUSY.outcome());
  }
}
