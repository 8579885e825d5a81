package dev.tollgate.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.console.Access;
import dev.tollgate.errors.ErrorResponses;
import dev.tollgate.errors.Failure;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.QueryStringEncoder;
import java.net.SocketAddress;
import java.util.List;
import java.util.Map;

/**
 * The {@code /admin/*} endpoints, once the caller is known: the admin reaches all of them; a viewer
 * reads its own team's data ({@link Access}). Runs on the admin executor.
 */
final class AdminRoutes {
  static final String WHOAMI = "/admin/whoami";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final AdminAuth auth;
  private final AdminQueries queries;
  private final AdminKeys keys;
  private final AdminBudgets budgets; // null when budgets are not served (tests)
  private final AdminPrices prices; // null likewise
  private final List<AdminExtras> extras; // forecasts, price lists
  private final AdminExport export; // null likewise

  AdminRoutes(
      AdminAuth auth,
      AdminQueries queries,
      AdminKeys keys,
      AdminBudgets budgets,
      AdminPrices prices,
      List<AdminExtras> extras,
      AdminExport export) {
    this.export = export;
    this.auth = auth;
    this.queries = queries;
    this.keys = keys;
    this.budgets = budgets;
    this.prices = prices;
    this.extras = extras;
  }

  AdminAnswer answer(
      FullHttpRequest request,
      String path,
      QueryStringDecoder query,
      SocketAddress remote,
      ByteBufAllocator alloc)
      throws Exception {
    AdminAuth.Result who = auth.check(request, remote);
    if (!who.ok()) {
      return AdminAnswer.whole(ErrorResponses.of(alloc, who.failure(), who.message()));
    }
    Access.Decision d =
        Access.decide(who.principal(), request.method().name(), path, query.parameters());
    if (!d.allowed()) {
      return AdminAnswer.whole(ErrorResponses.of(alloc, Failure.NOT_YOURS, d.refusal()));
    }
    QueryStringDecoder scoped =
        d.params() == query.parameters() ? query : rebuild(path, d.params());
    if (path.equals(AdminExport.PATH) && export != null) {
      return export.answer(scoped);
    }
    return AdminAnswer.whole(answer(request, path, scoped, who, d, alloc));
  }

  private FullHttpResponse answer(
      FullHttpRequest request,
      String path,
      QueryStringDecoder scoped,
      AdminAuth.Result who,
      Access.Decision d,
      ByteBufAllocator alloc)
      throws Exception {
    HttpMethod method = request.method();
    if (path.equals(WHOAMI)) {
      ObjectNode json = JSON.createObjectNode();
      json.put("role", who.principal().role());
      json.put("name", who.principal().name());
      if (who.principal().team() != null) {
        json.put("team", who.principal().team());
      }
      return AdminQueries.body(
          HttpResponseStatus.OK, HttpHeaderValues.APPLICATION_JSON, json.toString());
    }
    byte[] body = ByteBufUtil.getBytes(request.content());
    if (AdminBudgets.answers(path) && budgets != null) {
      return budgets.answer(method, path, body, alloc, d.onlyTeam());
    }
    if (path.equals(AdminPrices.SOURCES) && prices != null) {
      return prices.answer();
    }
    for (AdminExtras extra : extras) {
      if (extra.answers(path)) {
        return extra.answer(path, scoped, alloc);
      }
    }
    if (AdminKeys.answers(path)) {
      return keys.answer(method, path, body, alloc);
    }
    if (queries.answers(path)) {
      return queries.answer(path, scoped, alloc);
    }
    return ErrorResponses.of(alloc, Failure.NOT_FOUND, "Unknown admin endpoint " + path);
  }

  private static QueryStringDecoder rebuild(String path, Map<String, List<String>> params) {
    QueryStringEncoder e = new QueryStringEncoder(path);
    params.forEach((k, vs) -> vs.forEach(v -> e.addParam(k, v)));
    return new QueryStringDecoder(e.toString());
  }

  /** Null when the method fits the endpoint, else what to tell the caller. */
  static String methodProblem(HttpMethod method, String path) {
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
}
