package dev.tollgate.proxy;

import dev.tollgate.attribution.Attribution;
import dev.tollgate.attribution.Attributor;
import dev.tollgate.call.Api;
import dev.tollgate.call.Call;
import dev.tollgate.openai.RequestSummary;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;

/**
 * One request on its way through the gate's steps ({@link GateStep}): what each step found, for the
 * steps after it. Made when its head arrives and handed from handler to handler on its connection's
 * event loop, so it needs no locks. Refused at most once; a refused passage carries no body.
 */
final class Passage {
  final HttpRequest head;
  final long startNanos;

  RequestTarget target; // CANONICALISE_PATH
  Route route; // ROUTE
  Api api;
  boolean socket;
  Attributor.Authenticated key; // AUTHENTICATE
  Attribution who; // ATTRIBUTE, completed by PLAN with the body's user
  BodyAllowance.Hold hold; // ADMIT_BODY: the body bytes held, given back at dispatch
  FullHttpRequest request; // the whole request, once its body is in (then it owns the body)
  RequestSummary summary; // PLAN
  Outbound out;
  Call.Request asked;
  // BUDGET: this replica's share of a budget is being topped up for it; decided again when done
  dev.tollgate.budget.ShareWait budgetWait;
  int budgetWaits;
  Refusal refusal;

  Passage(HttpRequest head, long startNanos) {
    this.head = head;
    this.startNanos = startNanos;
  }

  boolean refused() {
    return refusal != null;
  }

  Passage refuse(Refusal r) {
    refusal = r;
    return this;
  }

  boolean keepAlive() {
    return HttpUtil.isKeepAlive(head);
  }

  /** The path as logs may show it: canonical once known, never with its query. */
  String loggedPath() {
    if (route != null) {
      return route.path();
    }
    return target != null ? target.path() : RequestTarget.withoutQuery(head.uri());
  }

  /** Gives back the body bytes held and the body itself, if they still are. */
  void releaseBody() {
    if (hold != null) {
      hold.release();
    }
    if (request != null && request.refCnt() > 0) {
      request.release();
    }
    request = null;
  }

  /** Gives back the body bytes held, once the body has been sent on (it is no longer buffered). */
  void dispatched() {
    if (hold != null) {
      hold.release();
    }
  }
}
