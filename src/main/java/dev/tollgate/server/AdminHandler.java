package dev.tollgate.server;

import dev.tollgate.config.AdminConfig;
import dev.tollgate.errors.ErrorResponses;
import dev.tollgate.errors.Failure;
import dev.tollgate.metrics.Metrics;
import dev.tollgate.proxy.ResponseHeaders;
import dev.tollgate.proxy.Traffic;
import dev.tollgate.report.SpendQuery;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.AttributeKey;
import java.net.SocketAddress;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin port. Health and readiness are open to anyone (orchestrators probe them); {@code
 * /metrics} needs the admin token when one is set; {@code /console/} serves the spend console;
 * everything under {@code /admin/} needs the admin token, a viewer token or a console session
 * ({@link AdminAuth}), or, when no admin token is set, a loopback client. Ledger queries and
 * sign-ins run on the admin executor, never on the event loop.
 */
@ChannelHandler.Sharable
final class AdminHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
  private static final Logger LOG = LoggerFactory.getLogger(AdminHandler.class);
  private static final String PROMETHEUS = "text/plain; version=0.0.4; charset=utf-8";

  private final AdminConfig config;
  private final Traffic traffic;
  private final Metrics metrics;
  private final Executor executor;
  private final BooleanSupplier ledgerHealthy;
  private final AdminRoutes routes;
  private final AdminConsole console;
  private static final AttributeKey<Boolean> BUSY = AttributeKey.valueOf("tollgate.admin.busy");

  AdminHandler(
      AdminConfig config,
      Traffic traffic,
      Metrics metrics,
      BooleanSupplier ledgerHealthy,
      AdminRoutes routes,
      AdminConsole console,
      Executor executor) {
    this.config = config;
    this.routes = routes;
    this.console = console;
    this.ledgerHealthy = ledgerHealthy;
    this.traffic = traffic;
    this.metrics = metrics;
    this.executor = executor;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    QueryStringDecoder query = new QueryStringDecoder(request.uri());
    String path = query.path();
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    SocketAddress remote = ctx.channel().remoteAddress();
    if (path.equals("/healthz")) {
      respond(ctx, keepAlive, json(HttpResponseStatus.OK, "{\"status\":\"ok\"}"));
    } else if (path.equals("/readyz")) {
      respond(
          ctx,
          keepAlive,
          traffic.draining()
              ? json(HttpResponseStatus.SERVICE_UNAVAILABLE, "{\"status\":\"draining\"}")
              : !ledgerHealthy.getAsBoolean()
                  ? json(
                      HttpResponseStatus.SERVICE_UNAVAILABLE,
                      "{\"status\":\"ledger_writer_stalled\"}")
                  : json(HttpResponseStatus.OK, "{\"status\":\"ready\"}"));
    } else if (path.equals("/metrics")) {
      // Open to scrapers on any host unless an admin token is set (then Prometheus sends it).
      if (config.token().isPresent() && !AdminAuth.isAdminBearer(config, request)) {
        respond(
            ctx,
            keepAlive,
            ErrorResponses.of(
                ctx.alloc(),
                Failure.UNAUTHORIZED,
                "Metrics need 'Authorization: Bearer <TOLLGATE_ADMIN_TOKEN>'"));
      } else {
        offload(
            ctx,
            keepAlive,
            () ->
                AdminAnswer.whole(
                    AdminQueries.body(HttpResponseStatus.OK, PROMETHEUS, metrics.scrape())));
      }
    } else if (AdminConsole.answers(path) && console != null) {
      FullHttpRequest copy = request.retainedDuplicate(); // the original is released on return
      offload(
          ctx,
          keepAlive,
          () ->
              withRelease(
                  copy, () -> AdminAnswer.whole(console.answer(copy, path, remote, ctx.alloc()))));
    } else if (!path.startsWith("/admin/")) {
      respond(
          ctx,
          keepAlive,
          ErrorResponses.of(ctx.alloc(), Failure.NOT_FOUND, "Unknown admin endpoint " + path));
    } else {
      String methodProblem = AdminRoutes.methodProblem(request.method(), path);
      if (methodProblem != null) {
        respond(
            ctx,
            keepAlive,
            ErrorResponses.of(ctx.alloc(), Failure.METHOD_NOT_ALLOWED, methodProblem));
        return;
      }
      FullHttpRequest copy = request.retainedDuplicate();
      offload(
          ctx,
          keepAlive,
          () -> withRelease(copy, () -> routes.answer(copy, path, query, remote, ctx.alloc())));
    }
  }

  private static AdminAnswer withRelease(FullHttpRequest request, Callable<AdminAnswer> work)
      throws Exception {
    try {
      return work.call();
    } finally {
      request.release();
    }
  }

  private static FullHttpResponse json(HttpResponseStatus status, String text) {
    return AdminQueries.body(status, HttpHeaderValues.APPLICATION_JSON, text);
  }

  private void offload(ChannelHandlerContext ctx, boolean keepAlive, Callable<AdminAnswer> work) {
    ctx.channel().attr(BUSY).set(true);
    try {
      executor.execute(
          () -> {
            FullHttpResponse response;
            try {
              AdminAnswer answer = work.call();
              if (answer instanceof AdminAnswer.Streamed streamed) {
                stream(ctx, keepAlive, streamed);
                return;
              }
              response = ((AdminAnswer.Whole) answer).response();
            } catch (SpendQuery.Invalid e) {
              response =
                  ErrorResponses.of(ctx.alloc(), Failure.BAD_REQUEST, e.getMessage(), e.param());
            } catch (Exception e) {
              LOG.error("Admin query failed", e);
              response =
                  ErrorResponses.of(
                      ctx.alloc(), Failure.INTERNAL, "Admin query failed: " + e.getMessage());
            }
            respond(ctx, keepAlive, response);
          });
    } catch (RejectedExecutionException e) {
      respond(
          ctx,
          keepAlive,
          ErrorResponses.of(
              ctx.alloc(), Failure.SHUTTING_DOWN, "Admin queries are saturated; retry shortly"));
    }
  }

  /**
   * Sends a streamed answer from this admin thread: the head, the body chunk by chunk (each waiting
   * for the socket), the end. A failure once the head is out cuts the connection, so the client
   * sees a truncated body rather than one that looks whole.
   */
  private void stream(ChannelHandlerContext ctx, boolean keepAlive, AdminAnswer.Streamed answer) {
    ResponseHeaders.identify(answer.head());
    HttpUtil.setTransferEncodingChunked(answer.head(), true);
    HttpUtil.setKeepAlive(answer.head(), keepAlive);
    ctx.writeAndFlush(answer.head());
    try (ChunkedChannelOutput out = new ChunkedChannelOutput(ctx.channel(), config.idleTimeout())) {
      answer.body().writeTo(out);
    } catch (Exception e) {
      LOG.warn("Admin export cut after its head: {}", e.toString());
      ctx.channel().attr(BUSY).set(false);
      ctx.close();
      return;
    }
    ctx.channel().attr(BUSY).set(false);
    var f = ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
    if (!keepAlive) {
      f.addListener(ChannelFutureListener.CLOSE);
    }
  }

  /** An idle admin connection is closed, unless its answer is still being worked out. */
  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof IdleStateEvent && !Boolean.TRUE.equals(ctx.channel().attr(BUSY).get())) {
      ctx.close();
      return;
    }
    ctx.fireUserEventTriggered(evt);
  }

  private static void respond(
      ChannelHandlerContext ctx, boolean keepAlive, FullHttpResponse response) {
    ctx.channel().attr(BUSY).set(false);
    // Every answer carries a request id, refusals included, as on the proxy port.
    ResponseHeaders.identify(response);
    HttpUtil.setKeepAlive(response, keepAlive);
    var f = ctx.writeAndFlush(response); // safe from any thread: Netty hands it to the event loop
    if (!keepAlive) {
      f.addListener(ChannelFutureListener.CLOSE);
    }
  }
}
