package dev.tollgate.proxy;

import dev.tollgate.attribution.Attributor;
import dev.tollgate.budget.Budget;
import dev.tollgate.budget.BudgetBook;
import dev.tollgate.budget.BudgetGate;
import dev.tollgate.call.Api;
import dev.tollgate.call.Call;
import dev.tollgate.errors.Failure;
import dev.tollgate.metering.CallIds;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpUtil;
import java.time.Instant;
import java.util.List;

/**
 * The gate's steps ({@link GateStep}), each a method that lets a {@link Passage} go on (null) or
 * refuses it. Netty handlers only call {@link #onHead} and {@link #onBody}; the steps themselves
 * read and edit the request, never the channel. One per connection.
 */
final class Gate {
  private final ProxyContext context;
  private final BodyAllowance.Connection connection;

  Gate(ProxyContext context) {
    this.context = context;
    this.connection = context.bodies().connection();
  }

  /** The head steps, in order; the first refusal ends them. */
  Refusal onHead(Passage p) {
    return run(GateStep.ON_HEAD, p);
  }

  /** The steps that need the whole request, in order, before it is dispatched. */
  Refusal onBody(Passage p) {
    return run(GateStep.ON_BODY, p);
  }

  private Refusal run(List<GateStep> steps, Passage p) {
    for (int i = 0; i < steps.size(); i++) { // no iterator per call
      GateStep step = steps.get(i);
      Refusal r =
          switch (step) {
            case CANONICALISE_PATH -> canonicalise(p);
            case ROUTE -> route(p);
            case AUTHENTICATE -> authenticate(p);
            case ATTRIBUTE -> attribute(p);
            case ADMIT_BODY -> admitBody(p);
            case PLAN -> plan(p);
            case BUDGET -> budget(p);
            case DISPATCH -> throw new IllegalArgumentException("dispatch is the frontend's");
          };
      if (r != null) {
        return r;
      }
    }
    return null;
  }

  private Refusal canonicalise(Passage p) {
    if (p.head.decoderResult().isFailure()) {
      // Unreadable (a malformed Content-Length, a bad header): nothing after it can be trusted.
      Throwable cause = p.head.decoderResult().cause();
      Failure f =
          cause instanceof TooLongFrameException ? Failure.HEADERS_TOO_LARGE : Failure.BAD_REQUEST;
      String why = "Malformed HTTP request: " + cause.getMessage();
      return Refusal.of(GateStep.CANONICALISE_PATH, f, why).closing();
    }
    p.target = RequestTarget.of(p.head.method(), p.head.uri());
    return p.target.refused()
        ? Refusal.of(GateStep.CANONICALISE_PATH, p.target.failure(), p.target.message())
        : null;
  }

  private Refusal route(Passage p) {
    p.route = Route.resolve(p.target, context.config().upstream().basePath());
    if (p.route.refused()) {
      return Refusal.of(GateStep.ROUTE, p.route.failure(), p.route.message());
    }
    p.socket = SocketHandoff.isUpgrade(p.head);
    p.api = p.socket ? SocketHandoff.api(p.route) : Api.of(p.route.path());
    if (p.api == null || (p.socket && context.sockets() == null)) {
      String why =
          "WebSockets are "
              + (p.api == null
                  ? "carried on /v1/responses and /v1/realtime only"
                  : "not carried by this server");
      return Refusal.of(GateStep.ROUTE, Failure.BAD_REQUEST, why).closing();
    }
    return null;
  }

  private Refusal authenticate(Passage p) {
    HttpHeaders headers = p.head.headers();
    Attributor.Check check =
        context.attributor().authenticate(Credentials.find(headers, p.target.query()));
    // A virtual key never leaves Tollgate, in whichever header or parameter it came.
    Credentials.stripVirtualKeys(headers);
    p.route = p.route.withQuery(Credentials.withoutVirtualKey(p.target.query()));
    if (check.refusal() != null) {
      return Refusal.of(GateStep.AUTHENTICATE, Failure.INVALID_API_KEY, check.refusal());
    }
    p.key = check.authenticated();
    if (context.config().auth().virtualKeysOnly() && !p.key.virtual()) {
      // The organisation's key is only for holders of a Tollgate key: no header, another key or
      // another scheme is refused before anything is read or sent.
      return Refusal.of(
          GateStep.AUTHENTICATE,
          Failure.INVALID_API_KEY,
          "This gateway needs a Tollgate key: send 'Authorization: Bearer tg-...'");
    }
    return null;
  }

  private Refusal attribute(Passage p) {
    HttpHeaders headers = p.head.headers();
    p.who = context.attributor().attribute(p.key, headers::get);
    Attributor.Headers names = context.attributor().headers();
    for (String name : new String[] {names.team(), names.project(), names.user(), names.tags()}) {
      headers.remove(name); // attribution is Tollgate's: it never reaches the upstream
    }
    return null;
  }

  private Refusal admitBody(Passage p) {
    long max = context.config().server().maxRequestBody();
    if (HttpUtil.getContentLength(p.head, 0L) > max) {
      return Refusal.of(
          GateStep.ADMIT_BODY,
          Failure.BODY_TOO_LARGE,
          "Request body exceeds the limit of " + max + " bytes (server.max_request_body)");
    }
    p.hold = context.bodies().open(connection, p.key.keyLabel(), p.key.known());
    return null;
  }

  private Refusal plan(Passage p) {
    p.summary =
        p.socket
            ? SocketHandoff.summary(p.head.uri())
            : p.route.summary(
                p.request.content(),
                p.request.headers().get(HttpHeaderNames.CONTENT_TYPE),
                context.config().routing());
    p.who = Attributor.withBodyUser(p.who, p.summary.user());
    p.out = Outbound.plan(context, p.request, p.route, p.api, p.summary, p.who);
    p.request = p.out.request();
    if (p.out.refused()) {
      return Refusal.of(GateStep.PLAN, p.out.failure(), p.out.message());
    }
    p.asked =
        new Call.Request(
            CallIds.next(System.currentTimeMillis()),
            Instant.now(),
            p.api,
            p.request.method().name(),
            p.route.path(),
            p.summary.model(),
            p.summary.serviceTier(),
            p.summary.stream(),
            p.who,
            null,
            p.summary.cacheRetention(),
            null);
    p.asked = TraceHeaders.begin(context.tracing(), p.asked, p.request, p.socket);
    return null;
  }

  private Refusal budget(Passage p) {
    if (p.api == Api.OTHER && !safe(p.head.method()) && !Api.known(p.route.path())) {
      // Fail closed: a path Tollgate cannot meter could spend past a hard budget unseen.
      Budget hard = context.budgets().book().hardBudgetFor(p.who);
      if (hard != null) {
        return Refusal.of(
            GateStep.BUDGET,
            Failure.UNMETERED_PATH,
            "Tollgate cannot meter "
                + p.head.method()
                + " "
                + p.route.path()
                + ", and hard budget '"
                + hard.name()
                + "' covers this caller: refused rather than admitted unchecked");
      }
    }
    BudgetGate.Verdict v = SpendGuard.check(context, p.api, p.asked, p.summary, p.request);
    return verdict(p, v);
  }

  /**
   * {@link GateStep#BUDGET} once more, after a wait for this replica's share of a budget: what the
   * budgets' thread decided for the call ({@code decided}; null: decide now), or another wait.
   */
  Refusal budgetAgain(Passage p, BudgetBook.Decision decided) {
    p.budgetWait = null;
    p.budgetWaits++;
    return verdict(
        p, SpendGuard.afterWait(context, p.asked, p.summary, p.request, decided, p.budgetWaits));
  }

  /** Admitted (null), refused, or waiting ({@link Passage#budgetWait} set, null returned). */
  private static Refusal verdict(Passage p, BudgetGate.Verdict v) {
    if (v.waiting()) {
      p.budgetWait = v.topUp(); // the frontend waits for it, then asks budgetAgain
      return null;
    }
    return v.admitted()
        ? null
        : new Refusal(GateStep.BUDGET, SpendGuard.failure(v), v.refusal(), v.headers(), false);
  }

  /** Methods that read: no provider bills a GET, HEAD or OPTIONS. */
  private static boolean safe(HttpMethod m) {
    return HttpMethod.GET.equals(m) || HttpMethod.HEAD.equals(m) || HttpMethod.OPTIONS.equals(m);
  }
}
