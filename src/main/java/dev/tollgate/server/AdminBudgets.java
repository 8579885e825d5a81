package dev.tollgate.server;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import dev.tollgate.budget.Budget;
import dev.tollgate.budget.BudgetBook;
import dev.tollgate.budget.BudgetDefinitions;
import dev.tollgate.budget.BudgetGate;
import dev.tollgate.budget.BudgetSync;
import dev.tollgate.call.Money;
import dev.tollgate.config.BudgetsConfig;
import dev.tollgate.config.ConfigException;
import dev.tollgate.errors.ErrorResponses;
import dev.tollgate.errors.Failure;
import dev.tollgate.ledger.AlertRecords;
import dev.tollgate.ledger.BudgetLedger;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * {@code /admin/budgets}: every budget's status ({@code GET}); define or change one ({@code PUT
 * /admin/budgets/{name}} with the definition as JSON) or remove it ({@code DELETE}). Budgets from
 * budgets.yaml are listed but changed only in the file. Changes are in force (on this replica; on
 * the others within a sync interval) when the answer arrives.
 */
final class AdminBudgets {
  static final String PATH = "/admin/budgets";
  private static final JsonFactory JSON = new JsonFactory();

  private final BudgetGate gate;
  private final BudgetSync sync;
  private final BudgetLedger ledger;
  private final BudgetsConfig config;

  AdminBudgets(BudgetGate gate, BudgetSync sync, BudgetLedger ledger, BudgetsConfig config) {
    this.gate = gate;
    this.sync = sync;
    this.ledger = ledger;
    this.config = config;
  }

  /** Every budget's status on this replica now (spend, reservations). */
  java.util.List<BudgetBook.Status> statuses() {
    return gate.book().status(Instant.now());
  }

  static boolean answers(String path) {
    return path.equals(PATH) || path.startsWith(PATH + "/");
  }

  static String methodProblem(HttpMethod method, String path) {
    if (path.startsWith(PATH + "/")) {
      return HttpMethod.PUT.equals(method) || HttpMethod.DELETE.equals(method)
          ? null
          : PATH + "/{name} takes PUT or DELETE";
    }
    return HttpMethod.GET.equals(method) || HttpMethod.HEAD.equals(method)
        ? null
        : PATH + " takes GET";
  }

  /**
   * @param onlyTeam list only the budgets of this team's scope (a viewer's), or null for all
   */
  FullHttpResponse answer(
      HttpMethod method, String path, byte[] body, ByteBufAllocator alloc, String onlyTeam)
      throws Exception {
    if (path.equals(PATH)) {
      return AdminQueries.body(
          HttpResponseStatus.OK, HttpHeaderValues.APPLICATION_JSON, status(onlyTeam));
    }
    String name = QueryStringDecoder.decodeComponent(path.substring(PATH.length() + 1));
    for (BudgetBook.Status st : gate.book().status(Instant.now())) {
      if (st.budget().name().equals(name) && st.budget().fromFile()) {
        return ErrorResponses.of(
            alloc,
            Failure.BUDGET_IN_FILE,
            "Budget '" + name + "' is defined in " + config.file() + ": change it there");
      }
    }
    if (HttpMethod.DELETE.equals(method)) {
      if (!ledger.remove(name)) {
        return ErrorResponses.of(alloc, Failure.BUDGET_NOT_FOUND, "No budget named '" + name + "'");
      }
    } else {
      Budget b;
      try {
        b =
            BudgetDefinitions.fromJson(
                name, new String(body, StandardCharsets.UTF_8), config.alerts());
      } catch (ConfigException e) {
        return ErrorResponses.of(alloc, Failure.BAD_REQUEST, e.getMessage());
      }
      ledger.define(name, BudgetDefinitions.toJson(b));
    }
    sync.refresh();
    return AdminQueries.body(
        HttpResponseStatus.OK, HttpHeaderValues.APPLICATION_JSON, status(null));
  }

  private byte[] status(String onlyTeam) throws java.io.IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("replica", sync.replica());
      if (sync.loadProblem() != null) {
        g.writeStringField("file_problem", sync.loadProblem());
      }
      g.writeArrayFieldStart("budgets");
      for (BudgetBook.Status st : gate.book().status(Instant.now())) {
        Budget b = st.budget();
        if (onlyTeam != null
            && !(b.scope().kind().equals("team") && b.scope().value().equals(onlyTeam))) {
          continue;
        }
        g.writeStartObject();
        g.writeStringField("name", b.name());
        g.writeStringField("scope", b.scope().toString());
        g.writeStringField("period", b.period().toString());
        g.writeStringField("enforce", b.hard() ? "hard" : "soft");
        g.writeStringField("source", b.fromFile() ? "file" : "api");
        g.writeStringField("limit_usd", usd(b.limitPico()));
        g.writeStringField("spent_usd", usd(st.spentPico()));
        // Reserved: calls in flight and costs not yet in the ledger, on every live replica. The
        // replicas' unused shares are part of what remains, shown apart.
        g.writeStringField("reserved_usd", usd(st.reservedPico()));
        g.writeStringField("remaining_usd", usd(st.remainingPico()));
        g.writeStringField("replica_shares_usd", usd(st.sharesPico()));
        g.writeStringField("period_start", st.window().start().toString());
        g.writeStringField("period_end", st.window().end().toString());
        g.writeNumberField("replicas", st.replicas());
        g.writeArrayFieldStart("alerts");
        for (int a : b.alerts()) {
          if (a == dev.tollgate.budget.Budget.FORECAST) {
            g.writeString("forecast");
          } else {
            g.writeNumber(a);
          }
        }
        g.writeEndArray();
        sentAlerts(g, b.name(), st.window().start().toEpochMilli());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeEndObject();
    }
    return out.toByteArray();
  }

  /** The alerts fired this period, and how each one's webhook delivery went. */
  private void sentAlerts(JsonGenerator g, String budget, long periodStartMs)
      throws java.io.IOException {
    g.writeArrayFieldStart("alerts_sent");
    try {
      for (AlertRecords.SentAlert a : ledger.alertRecords().alerts(budget, periodStartMs)) {
        g.writeStartObject();
        g.writeStringField(
            "kind",
            a.threshold() == dev.tollgate.budget.Budget.FORECAST ? "forecast" : "threshold");
        g.writeNumberField("threshold", a.threshold());
        g.writeStringField("fired_at", Instant.ofEpochMilli(a.firedMs()).toString());
        g.writeStringField("replica", a.replica());
        g.writeNumberField("attempts", a.attempts());
        g.writeStringField(
            "delivered_at",
            a.deliveredMs() == 0 ? null : Instant.ofEpochMilli(a.deliveredMs()).toString());
        g.writeStringField("last_error", a.lastError());
        g.writeEndObject();
      }
    } catch (java.sql.SQLException e) {
      g.writeEndArray();
      g.writeStringField("alerts_problem", "alerts could not be read: " + e.getMessage());
      return;
    }
    g.writeEndArray();
  }

  private static String usd(long pico) {
    return Money.format(Money.fromPico(pico));
  }
}
