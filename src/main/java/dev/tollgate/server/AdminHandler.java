package dev.tollgate.server;

import dev.tollgate.config.AdminConfig;
import dev.tollgate.errors.ErrorResponses;
import dev.tollgate.errors.Failure;
import dev.tollgate.ledger.RecentCalls;
import dev.tollgate.proxy.Traffic;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * The admin port. Health and readiness are open to anyone (orchestrators probe them); everything
 * under {@code /admin/} needs the admin token, or, when none is set, a loopback client.
 */
@ChannelHandler.Sharable
final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  private final AdminConfig config;
  private final Traffic traffic;
  private final RecentCalls recent;

  AdminHandler(AdminConfig config, Traffic traffic, RecentCalls recent) {
    this.config = config;
    this.traffic = traffic;
    this.recent = recent;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    QueryStringDecoder query = new QueryStringDecoder(request.uri());
    String path = query.path();
    FullHttpResponse response;
    if (!HttpMethod.GET.equals(request.method()) && !HttpMethod.HEAD.equals(request.method())) {
      response = ErrorResponses.of(ctx.alloc(), Failure.METHOD_NOT_ALLOWED, "Admin endpoints accept GET only");
    } else if (path.equals("/healthz")) {
      response = json(HttpResponseStatus.OK, "{\"status\":\"ok\"}");
    } else if (path.equals("/readyz")) {
      response = traffic.draining()
          ? json(HttpResponseStatus.SERVICE_UNAVAILABLE, "{\"status\":\"draining\"}")
          : json(HttpResponseStatus.OK, "{\"status\":\"ready\"}");
    } else if (path.startsWith("/admin/")) {
      Failure denied = authorize(request, ctx.channel().remoteAddress());
      if (denied != null) {
        response = ErrorResponses.of(ctx.alloc(), denied, denied == Failure.UNAUTHORIZED
            ? "Admin calls need 'Authorization: Bearer <TOLLGATE_ADMIN_TOKEN>'"
            : "Admin calls are only accepted from loopback while no admin token is set");
      } else if (path.equals("/admin/calls")) {
        response = calls(ctx, query);
      } else {
        response = ErrorResponses.of(ctx.alloc(), Failure.NOT_FOUND, "Unknown admin endpoint " + path);
      }
    } else {
      response = ErrorResponses.of(ctx.alloc(), Failure.NOT_FOUND, "Unknown admin endpoint " + path);
    }
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    HttpUtil.setKeepAlive(response, keepAlive);
    var f = ctx.writeAndFlush(response);
    if (!keepAlive) {
      f.addListener(ChannelFutureListener.CLOSE);
    }
  }

  private FullHttpResponse calls(ChannelHandlerContext ctx, QueryStringDecoder query) {
    String limitText = query.parameters().getOrDefault("limit", java.util.List.of("50")).get(0);
    int limit;
    try {
      limit = Integer.parseInt(limitText);
    } catch (NumberFormatException e) {
      limit = -1;
    }
    if (limit < 1 || limit > 10_000) {
      return ErrorResponses.of(ctx.alloc(), Failure.BAD_REQUEST,
          "limit must be a whole number from 1 to 10000, got '" + limitText + "'", "limit");
    }
    return json(HttpResponseStatus.OK, AdminCalls.render(recent.latest(limit)));
  }

  /** Null when the caller may use admin endpoints, else the failure to answer with. */
  Failure authorize(FullHttpRequest request, SocketAddress remote) {
    if (config.token().isPresent()) {
      String expected = "Bearer " + config.token().get();
      String given = request.headers().get(HttpHeaderNames.AUTHORIZATION, "");
      // Constant-time compare: the token must not leak through response timing.
      return MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8))
          ? null
          : Failure.UNAUTHORIZED;
    }
    boolean loopback = remote instanceof InetSocketAddress a && a.getAddress() != null && a.getAddress().isLoopbackAddress();
    return loopback ? null : Failure.FORBIDDEN;
  }

  private static FullHttpResponse json(HttpResponseStatus status, String body) {
    return json(status, body.getBytes(StandardCharsets.UTF_8));
  }

  private static FullHttpResponse json(HttpResponseStatus status, byte[] body) {
    ByteBuf content = Unpooled.wrappedBuffer(body);
    FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
    r.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON)
        .setInt(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
    return r;
  }
}
