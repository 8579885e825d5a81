package dev.tollgate.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.tollgate.errors.ErrorResponses;
import dev.tollgate.errors.Failure;
import dev.tollgate.ledger.CallFilter;
import dev.tollgate.ledger.LedgerReader;
import dev.tollgate.ledger.UnpricedModel;
import dev.tollgate.report.ReportRenderer;
import dev.tollgate.report.SpendQuery;
import dev.tollgate.report.SpendReports;
import dev.tollgate.report.TeamBudget;
import dev.tollgate.reprice.RepriceService;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The {@code /admin/*} queries that read or correct the ledger: calls, spend, unpriced models,
 * repricing. Blocking: the admin handler runs them on its executor, never on an event loop.
 */
final class AdminQueries {
  static final String REPRICE = "/admin/reprice";
  private static final String CSV = "text/csv; charset=utf-8";
  private static final Set<String> PATHS =
      Set.of("/admin/calls", "/admin/spend", "/admin/unpriced", "/admin/reconcile", REPRICE);
  private static final JsonFactory JSON = new JsonFactory();

  private final LedgerReader ledger;
  private final SpendReports reports;
  private final RepriceService repricing;
  private final Supplier<List<TeamBudget>> budgets;
  private final java.util.concurrent.Callable<String> reconciled; // the last run's JSON

  AdminQueries(
      LedgerReader ledger,
      SpendReports reports,
      RepriceService repricing,
      Supplier<List<TeamBudget>> budgets,
      java.util.concurrent.Callable<String> reconciled) {
    this.reconciled = reconciled;
    this.ledger = ledger;
    this.reports = reports;
    this.repricing = repricing;
    this.budgets = budgets;
  }

  boolean answers(String path) {
    return PATHS.contains(path);
  }

  /** The answer to one of {@link #answers} paths; a bad parameter is {@link SpendQuery.Invalid}. */
  FullHttpResponse answer(String path, QueryStringDecoder query, ByteBufAllocator alloc)
      throws Exception {
    return switch (path) {
      case "/admin/calls" -> calls(query, alloc);
      case "/admin/spend" -> spend(query);
      case "/admin/unpriced" -> unpriced(query);
      case "/admin/reconcile" -> reconciled();
      default -> reprice(query);
    };
  }

  private FullHttpResponse calls(QueryStringDecoder query, ByteBufAllocator alloc)
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
          alloc,
          Failure.BAD_REQUEST,
          "limit must be a whole number from 1 to 10000, got '" + limitText + "'",
          "limit");
    }
    var calls = ledger.recent(filter(query), limit);
    String next = null;
    if (calls.size() == limit) {
      var last = calls.get(calls.size() - 1);
      next = new CallFilter.Cursor(last.start().toEpochMilli(), last.id()).toString();
    }
    byte[] json = AdminCalls.render(calls, next);
    return body(HttpResponseStatus.OK, HttpHeaderValues.APPLICATION_JSON, json);
  }

  private static final Set<String> SPEND_PARAMS =
      Set.of("from", "to", "group_by", "what_if", "format");

  private FullHttpResponse spend(QueryStringDecoder query) throws Exception {
    String format = param(query, "format", "json");
    if (!format.equals("json") && !format.equals("csv")) {
      throw new SpendQuery.Invalid("format", "format must be json or csv, got '" + format + "'");
    }
    // Like `tollgate report`: the current month unless a range is given.
    SpendQuery q =
        SpendQuery.parse(
            param(query, "from", SpendQuery.thisMonth().toString()),
            param(query, "to", SpendQuery.thisMonth().plusMonths(1).toString()),
            param(query, "group_by", ""),
            param(query, "what_if", null));
    // Every other parameter filters: team=search, project=(none), tag:env=prod, ...
    for (Map.Entry<String, List<String>> p : query.parameters().entrySet()) {
      if (!SPEND_PARAMS.contains(p.getKey())) {
        q = q.where(p.getKey(), p.getValue().get(0));
      }
    }
    var report = reports.run(q).withBudgets(budgets.get());
    return format.equals("csv")
        ? body(HttpResponseStatus.OK, CSV, ReportRenderer.csv(report))
        : body(
            HttpResponseStatus.OK, HttpHeaderValues.APPLICATION_JSON, ReportRenderer.json(report));
  }

  /**
   * {@code team, project, key, model, tier, status, api, from, to} (dates, or instants; {@code to}
   * exclusive), {@code session}, {@code id} (a request id), {@code before} (the page cursor).
   */
  private static CallFilter filter(QueryStringDecoder query) {
    String before = param(query, "before", null);
    CallFilter.Cursor cursor;
    try {
      cursor = before == null || before.isBlank() ? null : CallFilter.Cursor.parse(before.trim());
    } catch (IllegalArgumentException e) {
      throw new SpendQuery.Invalid("before", "before: " + e.getMessage());
    }
    String tier = param(query, "tier", null);
    return new CallFilter(
        param(query, "team", null),
        param(query, "model", null),
        param(query, "status", null),
        param(query, "api", null),
        instant(query, "from"),
        instant(query, "to"),
        param(query, "session", null),
        param(query, "project", null),
        param(query, "key", null),
        tier == null ? null : dev.tollgate.call.ServiceTier.of(tier).name(),
        param(query, "id", null),
        cursor);
  }

  private static java.time.Instant instant(QueryStringDecoder query, String name) {
    String text = param(query, name, null);
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return text.contains("T")
          ? java.time.Instant.parse(text.trim())
          : LocalDate.parse(text.trim()).atStartOfDay(ZoneOffset.UTC).toInstant();
    } catch (java.time.format.DateTimeParseException e) {
      throw new SpendQuery.Invalid(
          name, "'" + name + "' must be a date YYYY-MM-DD or a UTC instant, got '" + text + "'");
    }
  }

  /**
   * The last scheduled reconciliation (reconcile.schedule: daily), whichever replica ran it, or why
   * there is none.
   */
  private FullHttpResponse reconciled() throws Exception {
    String last = reconciled == null ? null : reconciled.call();
    return body(
        HttpResponseStatus.OK,
        HttpHeaderValues.APPLICATION_JSON,
        last != null
            ? last
            : "{\"status\":\"not_run\",\"message\":\"No reconciliation has run: set"
                + " reconcile.schedule: daily, or run tollgate reconcile\"}");
  }

  /** Models calls named that still have no price: the first thing to add to the catalog. */
  private FullHttpResponse unpriced(QueryStringDecoder query) throws Exception {
    LocalDate tomorrow = LocalDate.now(ZoneOffset.UTC).plusDays(1);
    SpendQuery range =
        SpendQuery.parse(
            param(query, "from", tomorrow.minusDays(31).toString()),
            param(query, "to", tomorrow.toString()),
            null,
            null);
    List<UnpricedModel> models = ledger.unpriced(range.from(), range.to());
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("from", range.from().toString());
      g.writeStringField("to", range.to().toString());
      g.writeArrayFieldStart("models");
      for (UnpricedModel m : models) {
        g.writeStartObject();
        g.writeStringField("model", m.model());
        g.writeNumberField("calls", m.calls());
        g.writeNumberField("input_tokens", m.inputTokens());
        g.writeNumberField("output_tokens", m.outputTokens());
        g.writeStringField("first_seen", m.firstSeen().toString());
        g.writeStringField("last_seen", m.lastSeen().toString());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    return body(HttpResponseStatus.OK, HttpHeaderValues.APPLICATION_JSON, out.toByteArray());
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

  static String param(QueryStringDecoder query, String name, String fallback) {
    List<String> values = query.parameters().get(name);
    return values == null || values.isEmpty() ? fallback : values.get(0);
  }

  static FullHttpResponse body(HttpResponseStatus status, CharSequence type, String text) {
    return body(status, type, text.getBytes(StandardCharsets.UTF_8));
  }

  static FullHttpResponse body(HttpResponseStatus status, CharSequence type, byte[] bytes) {
    FullHttpResponse r =
        new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, Unpooled.wrappedBuffer(bytes));
    r.headers()
        .set(HttpHeaderNames.CONTENT_TYPE, type)
        .setInt(HttpHeaderNames.CONTENT_LENGTH, bytes.length);
    return r;
  }
}
