package dev.tollgate.proxy;

import dev.tollgate.errors.ErrorResponses;
import dev.tollgate.errors.Failure;
import dev.tollgate.metering.AccessLog;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;

/**
 * Reads each request body whole, up to {@code server.max_request_body}, answering a larger one with
 * an OpenAI-shaped 413. Bodies are read whole because the proxy must see the request (its model,
 * its stream flag) before choosing what to send upstream; the limit keeps that bounded.
 */
final class RequestBodyLimit {
  private RequestBodyLimit() {}

  static HttpObjectAggregator aggregator(int maxBytes, AccessLog accessLog) {
    return new HttpObjectAggregator(maxBytes) {
      @Override
      protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        // The aggregator discards the rest of this body, so a keep-alive connection stays usable.
        // Closing it now would reset it while the client is still sending, and a reset can reach
        // the client before the 413 does.
        boolean keepAlive = HttpUtil.isKeepAlive(oversized);
        FullHttpResponse response = tooLarge(ctx, maxBytes, !keepAlive);
        logRefused(accessLog, oversized, response);
        ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
      }
    };
  }

  /**
   * Answers {@code Expect: 100-continue} itself, refusing early when the declared length is too
   * big.
   */
  static HttpServerExpectContinueHandler expectContinue(long maxBytes, AccessLog accessLog) {
    return new HttpServerExpectContinueHandler() {
      private ChannelHandlerContext ctx;

      @Override
      public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
      }

      @Override
      protected HttpResponse acceptMessage(HttpRequest request) {
        return HttpUtil.getContentLength(request, 0L) > maxBytes
            ? null
            : super.acceptMessage(request);
      }

      @Override
      protected HttpResponse rejectResponse(HttpRequest request) {
        FullHttpResponse response = tooLarge(ctx, maxBytes, true);
        logRefused(accessLog, request, response);
        return response;
      }
    };
  }

  /** A 413 gets its access-log line like every other refusal (its duration is not measured). */
  private static void logRefused(AccessLog accessLog, HttpMessage message, HttpResponse response) {
    String id = ResponseHeaders.identify(response);
    if (message instanceof HttpRequest r) {
      accessLog.refused(
          id,
          r.method().name(),
          new QueryStringDecoder(r.uri()).path(),
          Failure.BODY_TOO_LARGE.status().code(),
          -1,
          Failure.BODY_TOO_LARGE.outcome());
    }
  }

  private static FullHttpResponse tooLarge(
      ChannelHandlerContext ctx, long maxBytes, boolean close) {
    FullHttpResponse r =
        ErrorResponses.of(
            ctx.alloc(),
            Failure.BODY_TOO_LARGE,
            "Request body exceeds the limit of " + maxBytes + " bytes (server.max_request_body)");
    if (close) {
      r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
    }
    return r;
  }
}
