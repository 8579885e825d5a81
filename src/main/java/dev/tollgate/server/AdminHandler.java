package dev.tollgate.server;

import dev.tollgate.config.AdminConfig;
import dev.tollgate.errors.ErrorResponses;
import dev.tollgate.errors.Failure;
import dev.tollgate.ledger.LedgerReader;
import dev.tollgate.metrics.Metrics;
import dev.tollgate.proxy.ResponseHeaders;
import dev.tollgate.proxy.Traffic;
import dev.tollgate.report.SpendQuery;
import dev.tollgate.report.SpendReports;
import dev.tollgate.report.TeamBudget;
import dev.tollgate.reprice.RepriceService;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.AttributeKey;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.concurrent.Callable;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin port. Health and readiness are open to anyone (orchestrators probe them); everything
 * under {@code /admin/} needs the admin token, or, when none is set, a loopback client. Ledger
 * queries run on the admin executor, never on the event loop.
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
  private final AdminQueries queries;
  private final AdminKeys keys;
  private final AdminBudgets budgets;
  private final AdminPrices prices;
  private static final AttributeKey<Boolean> BUSY = AttributeKey.valueOf("tollgate.admin.busy");

  AdminHandler(
      AdminConfig config,
      Traffic traffic,
      LedgerReader ledger,
      SpendReports reports,
      Metrics metrics,
      BooleanSupplier ledgerHealthy,
      RepriceService repricing,
      AdminKeys keys,
      AdminBudgets budgets,
      AdminPrices prices,
      java.util.function.Supplier<dev.tollgate.reconcile.DailyReconcile.Result> reconciled,
      Executor executor) {
    this.keys = keys;
    this.budgets = budgets;
    this.prices = prices;
    this.config = config;
    this.queries =
        new AdminQueries(
            ledger,
            reports,
            repricing,
            () -> budgets == null ? java.util.List.of() : TeamBudget.of(budgets.statuses()),
            reconciled);
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
    String methodProblem = methodProblem(request.method(), path);
    if (methodProblem != null) {
      respond(
          ctx,
          keepAlive,
          ErrorResponses.of(ctx.alloc(), Failure.METHOD_NOT_ALLOWED, methodProblem));
    } else if (path.equals("/healthz")) {
      respond(
          ctx,
          keepAlive,
          AdminQueries.body(
              HttpResponseStatus.OK, HttpHeaderValues.APPLICATION_JSON, "{\"status\":\"ok\"}"));
    } else if (path.equals("/readyz")) {
      respond(
          ctx,
          keepAlive,
          traffic.draining()
              ? AdminQueries.body(
                  HttpResponseStatus.SERVICE_UNAVAILABLE,
                  HttpHeaderValues.APPLICATION_JSON,
                  "{\"status\":\"draining\"}")
              : !ledgerHealthy.getAsBoolean()
                  ? AdminQueries.body(
                      HttpResponseStatus.SERVICE_UNAVAILABLE,
                      HttpHeaderValues.APPLICATION_JSON,
                      "{\"status\":\"ledger_writer_stalled\"}")
                  : AdminQueries.body(
                      HttpResponseStatus.OK,
                      HttpHeaderValues.APPLICATION_JSON,
                      "{\"status\":\"ready\"}"));
    } else if (path.equals("/metrics")) {
      // Open to scrapers on any host unless an admin token is set (then Prometheus sends it).
      if (config.token().isPresent() && authorize(request, ctx.channel().remoteAddress()) != null) {
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
            () -> AdminQueries.body(HttpResponseStatus.OK, PROMETHEUS, metrics.scrape()));
      }
    } else if (!path.startsWith("/admin/")) {
      respond(
          ctx,
          keepAlive,
          ErrorResponses.of(ctx.alloc(), Failure.NOT_FOUND, "Unknown admin endpoint " + path));
    } else {
      Failure denied = authorize(request, ctx.channel().remoteAddress());
      if (denied != null) {
        respond(
            ctx,
            keepAlive,
            ErrorResponses.of(
                ctx.alloc(),
                denied,
                denied == Failure.UNAUTHORIZED
                    ? "Admin calls need 'Authorization: Bearer <TOLLGATE_ADMIN_TOKEN>'"
                    : "Admin calls are only accepted from loopback while no admin token is set"));
      } else if (AdminBudgets.answers(path) && budgets != null) {
        byte[] body = ByteBufUtil.getBytes(request.content());
        HttpMethod method = request.method();
        offload(ctx, keepAlive, () -> budgets.answer(method, path, body, ctx.alloc()));
      } else if (path.equals(AdminPrices.SOURCES) && prices != null) {
        offload(ctx, keepAlive, prices::answer);
      } else if (AdminKeys.answers(path)) {
        byte[] body = ByteBufUtil.getBytes(request.content()); // the request is released on return
        HttpMethod method = request.method();
        offload(ctx, keepAlive, () -> keys.answer(method, path, body, ctx.alloc()));
      } else if (queries.answers(path)) {
        offload(ctx, keepAlive, () -> queries.answer(path, query, ctx.alloc()));
      } else {
        respond(
            ctx,
            keepAlive,
            ErrorResponses.of(ctx.alloc(), Failure.NOT_FOUND, "Unknown admin endpoint " + path));
      }
    }
  }

  /** Null when the method fits the endpoint, else what to tell the caller. */
  private static String methodProblem(HttpMethod method, String path) {
    if (AdminKeys.answers(path)) {
      return AdminKeys.methodProblem(method, path);
    }
    if (AdminBudgets.answers(path)) {
      return AdminBudgets.methodProblem(method, path);
    }
    if (path.equals(AdminQueries.REPRICE)) {
      return HttpMethod.POST.equals(method) ? null : AdminQueries.REPRICE + " takes POST";
    }
    return HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method)
        ? null
        : "Admin endpoints accept GET only";
  }

  private void offload(
      ChannelHandlerContext ctx, boolean keepAlive, Callable<FullHttpResponse> work) {
    ctx.channel().attr(BUSY).set(true);
    try {
      executor.execute(
          () -> {
            FullHttpResponse response;
            try {
              response = work.call();
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

  /** An idle admin connection is closed, unless its answer is still being worked out. */
  @Override
  public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
    if (evt instanceof IdleStateEvent && !Boolean.TRUE.equals(ctx.channel().attr(BUSY).get())) {
      ctx.close();
      return;
    }
    ctx.fireUserEventTriggered(evt);
  }

  /** Null when the caller may use admin endpoints, else the failure to answer with. */
  Failure authorize(FullHttpRequest request, SocketAddress remote) {
    if (config.token().isPresent()) {
      // The scheme is case-insensitive (RFC 9110); the token itself is compared exactly.
      String expected = config.token().get();
      String header = request.headers().get(HttpHeaderNames.AUTHORIZATION, "").trim();
      String given =
          header.regionMatches(true, 0, "Bearer ", 0, 7) ? header.substring(7).trim() : "";
      // Constant-time compare: the token must not leak through response timing.
      return MessageDigest.isEqual(
              expected.getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8))
          ? null
          : Failure.UNAUTHORIZED;
    }
    boolean loopback =
        remote instanceof InetSocketAddress a
            && a.getAddress() != null
            && a.getAddress().isLoopbackAddress();
    return loopback ? null : Failure.FORBIDDEN;
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
