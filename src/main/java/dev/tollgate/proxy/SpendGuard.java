package dev.tollgate.proxy;

import dev.tollgate.budget.BudgetGate;
import dev.tollgate.call.Api;
import dev.tollgate.call.Call;
import dev.tollgate.errors.Failure;
import dev.tollgate.openai.RequestSummary;
import io.netty.handler.codec.http.FullHttpRequest;

/** Rate limits and budgets, asked once a call is attributed and before it goes upstream. */
public final class SpendGuard {
  private SpendGuard() {}

  static BudgetGate.Verdict check(
      ProxyContext context,
      Api api,
      Call.Request asked,
      RequestSummary summary,
      FullHttpRequest request) {
    if (api == Api.OTHER) {
      return BudgetGate.Verdict.ADMITTED; // listing models or uploading files costs nothing
    }
    return context.budgets().admit(ask(asked, summary, request));
  }

  /**
   * After a wait for this replica's budget share to grow ({@link BudgetGate.Verdict#waiting}).
   *
   * @param decided what the budgets' thread decided for the call, or null to decide it now
   * @param waited how many times the call has waited
   */
  static BudgetGate.Verdict afterWait(
      ProxyContext context,
      Call.Request asked,
      RequestSummary summary,
      FullHttpRequest request,
      dev.tollgate.budget.BudgetBook.Decision decided,
      int waited) {
    return context.budgets().admitAfterTopUp(ask(asked, summary, request), decided, waited);
  }

  private static BudgetGate.Ask ask(
      Call.Request asked, RequestSummary summary, FullHttpRequest request) {
    return new BudgetGate.Ask(
        asked.id(),
        asked.attribution(),
        summary.model(),
        summary.serviceTier(),
        request.content().readableBytes(),
        summary.maxOutputTokens());
  }

  /** The failure a refusal is answered with: over budget, or over a rate limit. */
  public static Failure failure(BudgetGate.Verdict v) {
    if (v.rateUnit() == null) {
      return Failure.BUDGET_EXCEEDED;
    }
    return v.rateUnit().equals("tokens")
        ? Failure.RATE_LIMITED_TOKENS
        : Failure.RATE_LIMITED_REQUESTS;
  }
}
