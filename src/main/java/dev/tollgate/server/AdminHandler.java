package dev.tollgate.server;

import dev.tollgate.config.AdminConfig;
import dev.tollgate.errors.ErrorResponses;
import dev.tollgate.errors.Failure;
import dev.tollgate.ledger.LedgerReader;
import dev.tollgate.metrics.Metrics;
import dev.tollgate.proxy.Traffic;
import dev.tollgate.report.ReportRenderer;
import dev.tollgate.report.SpendQuery;
import dev.tollgate.report.SpendReports;
import dev.tollgate.reprice.RepriceService;
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
import java.util.List;
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
  private static final String CSV = "text/csv; charset=utf-8";
  private static final String PROMETHEUS = "text/plain; version=0.0.4; charset=utf-8";

  private final AdminConfig config;
  private final Traffic traffic;
  private final LedgerReader ledger;
  private final SpendReports reports;
  private final Metrics metrics;
  private final Executor executor;
  private final BooleanSupplier ledgerHealthy;
  private final RepriceService repricing;
  private static final String REPRICE = "/admin/reprice";

  AdminHandler(
      AdminConfig config,
      Traffic traffic,
      LedgerReader ledger,
      SpendReports reports,
      Metrics metrics,
      BooleanSupplier ledgerHealthy,
      RepriceService repricing,
      Executor executor) {
    this.config = config;
    this.repricing = repricing;
    this.ledgerHealthy = ledgerHealthy;
    this.traffic = traffic;
    this.ledger = ledger;
    this.reports = reports;
    this.metrics = metrics;
    this.executor = executor;
  }

  @Override
  protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
    QueryStringDecoder query = new QueryStringDecoder(request.uri());
    String path = query.path();
    boolean keepAlive = HttpUtil.isKeepAlive(request);
    boolean reprice = path.equals(REPRICE);
    boolean methodFits =
        reprice
            ? HttpMethod.POST.equals(request.method())
            : HttpMethod.GET.equals(request.method()) || HttpMethod.HEAD.equals(request.method());
    if (!methodFits) {
      respond(
          ctx,
          keepAlive,
          ErrorResponses.of(
              ctx.alloc(),
              Failure.METHOD_NOT_ALLOWED,
              reprice ? REPRICE + " takes POST" : "Admin endpoints accept GET only"));
    } else if (path.equals("/healthz")) {
      respond(
          ctx,
          keepAlive,
          body(HttpResponseStatus.OK, HttpHeaderValues.APPLICATION_JSON, "{\"status\":\"ok\"}"));
    } else if (path.equals("/readyz")) {
      respond(
          ctx,
          keepAlive,
          traffic.draining()
              ? body(
                  HttpResponseStatus.SERVICE_UNAVAILABLE,
                  HttpHeaderValues.APPLICATION_JSON,
                  "{\"status\":\"draining\"}")
              : !ledgerHealthy.getAsBoolean()
                  ? body(
                      HttpResponseStatus.SERVICE_UNAVAILABLE,
                      HttpHeaderValues.APPLICATION_JSON,
                      "{\"status\":\"ledger_writer_stalled\"}")
                  : body(
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
        offload(ctx, keepAlive, () -> body(HttpResponseStatus.OK, PROMETHEUS, metrics.scrape()));
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
      } else if (path.equals("/admin/calls")) {
        offload(ctx, keepAlive, () -> calls(ctx, query));
      } else if (path.equals("/admin/spend")) {
        offload(ctx, keepAlive, () -> spend(query));
      } else if (reprice) {
        offload(ctx, keepAlive, () -> reprice(query));
      } else {
        respond(
            ctx,
            keepAlive,
            ErrorResponses.of(ctx.alloc(), Failure.NOT_FOUND, "Unknown admin endpoint " + path));
      }
    }
  }

  private FullHttpResponse calls(ChannelHandlerContext ctx, QueryStringDecoder query)
      throws Exception {
    String limitText = param(query, "limit", "50");
    int limit;
    try {
      limit = Integer.parseInt(limitText);
    } catch (NumberFormatException e) {
      limit = -1;
    }
    if (limit < 1 || limit > 10_000) {
      return ErrorResponses.of(
          ctx.alloc(),
          Failure.BAD_REQUEST,
          "limit must be a whole number from 1 to 10000, got '" + limitText + "'",
          "limit");
    }
    byte[] json = AdminCalls.render(ledger.recent(limit));
    return body(HttpResponseStatus.OK, HttpHeaderValues.APPLICATION_JSON, json);
  }

  private FullHttpResponse spend(QueryStringDecoder query) throws Exception {
    String format = param(query, "format", "json");
    if (!format.equals("json") && !format.equals("csv")) {
      throw new SpendQuery.Invalid("format", "format must be json or csv, got '" + format + "'");
    }
    SpendQuery q =
        SpendQuery.parse(
            param(query, "from", null),
            param(query, "to", null),
            param(query, "group_by", ""),
            param(query, "what_if", null));
    var report = reports.run(q);
    return format.equals("csv")
        ? body(HttpResponseStatus.OK, CSV, ReportRenderer.csv(report))
        : body(
            HttpResponseStatus.OK, HttpHeaderValues.APPLICATION_JSON, ReportRenderer.json(report));
  }

  /** Reprices a range of days; a long run holds one admin thread, never an event loop. */
  private FullHttpResponse reprice(QueryStringDecoder query) throws Exception {
    SpendQuery range =
        SpendQuery.parse(param(query, "from", null), param(query, "to", null), null, null);
    String dryRun = param(query, "dry_run", "false");
    if (!dryRun.equals("true") && !dryRun.equals("false")) {
      throw new SpendQuery.Invalid(
          "dry_run", "dry_run must be true or false, got '" + dryRun + "'");
    }
    var result =
        repricing.run(range.from(), range.to(), param(query, "model", null), dryRun.equals("true"));
    return body(
        HttpResponseStatus.OK, HttpHeaderValues.APPLICATION_JSON, AdminReprice.render(result));
  }

  private void offload(
      ChannelHandlerContext ctx, boolean keepAlive, Callable<FullHttpResponse> work) {
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

  /** Null when the caller may use admin endpoints, else the failure to answer with. */
  Failure authorize(FullHttpRequest request, SocketAddress remote) {
    if (config.token().isPresent()) {
      String expected = "Bearer " + config.token().get();
      String given = request.headers().get(HttpHeaderNames.AUTHORIZATION, "");
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

  private static String param(QueryStringDecoder query, String name, String fallback) {
    List<String> values = query.parameters().get(name);
    return values == null || values.isEmpty() ? fallback : values.get(0);
  }

  private static void respond(
      ChannelHandlerContext ctx, boolean keepAlive, FullHttpResponse response) {
    HttpUtil.setKeepAlive(response, keepAlive);
    var f = ctx.writeAndFlush(response); // safe from any thread: Netty hands it to the event loop
    if (!keepAlive) {
      f.addListener(ChannelFutureListener.CLOSE);
    }
  }

  private static FullHttpResponse body(HttpResponseStatus status, CharSequence type, String text) {
    return body(status, type, text.getBytes(StandardCharsets.UTF_8));
  }

  private static FullHttpResponse body(HttpResponseStatus status, CharSequence type, byte[] bytes) {
    FullHttpResponse r =
        new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(bytes));
    r.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, type)
        .setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
    return r;
  }
}
