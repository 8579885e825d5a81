package dev.tollgate.proxy;

import java.util.List;

/**
 * The request's path through the gate, in order (Zuul 2's filter chain is the model). Each step
 * either lets the request go on or refuses it; every refusal is rendered in one place ({@link
 * FrontendHandler}), in the order requests arrived. The head steps run as soon as a request's
 * headers are in, before a byte of its body is held: nothing is reserved for a caller who has not
 * authenticated. The rest run once the body is whole. docs/ARCHITECTURE.md lists them.
 */
enum GateStep {
  /** One spelling per path: a refused target, or the canonical path and its query. */
  CANONICALISE_PATH,
  /** Which API and upstream family the path is ({@link Route}); WebSocket upgrades too. */
  ROUTE,
  /** The key the request carries: an unknown, revoked or expired virtual key is a 401. */
  AUTHENTICATE,
  /** Who pays: the key's team, project and user, then the attribution headers. */
  ATTRIBUTE,
  /** The body's allowance: too large is a 413; its bytes are then held by holder as they come. */
  ADMIT_BODY,
  /** What goes upstream: the model's upstream, body edits, the head rewritten. */
  PLAN,
  /** Rate limits and budgets reserve the call's worst case, or refuse it. */
  BUDGET,
  /** The call is started (or the socket handed over), unless the server is draining. */
  DISPATCH;

  /** The steps run on the head alone. */
  static final List<GateStep> ON_HEAD =
      List.of(CANONICALISE_PATH, ROUTE, AUTHENTICATE, ATTRIBUTE, ADMIT_BODY);

  /** The steps run once the body is whole, before {@link #DISPATCH}. */
  static final List<GateStep> ON_BODY = List.of(PLAN, BUDGET);
}
