package dev.tollgate.proxy;

/**
 * Where a {@link ProxyExchange} is in its life. Each state names the moves allowed from it, so an
 * exchange cannot, say, relay a response after it finished or drain before it sent anything.
 */
enum ExchangeState {
  /** Acquiring an upstream connection (and finishing its TLS handshake). */
  CONNECTING,
  /** Writing the request upstream. It may still be retried once on a new connection. */
  SENDING,
  /** The request is written; no response head yet. */
  AWAITING_HEAD,
  /** The response head went to the client; the body is being relayed. */
  RELAYING,
  /** The client left after the request was sent: the rest is read (bounded) for its usage. */
  DRAINING,
  /** Finished: metered, the upstream connection pooled or closed. Nothing moves from here. */
  DONE;

  boolean canMoveTo(ExchangeState next) {
    return switch (this) {
      // CONNECTING again: the connection closed during its TLS handshake, so a new one is tried.
      case CONNECTING -> next == CONNECTING || next == SENDING || next == DONE;
      // Back to CONNECTING: the request never left, so it is retried. Straight to RELAYING: an
      // upstream that answers before it has read the whole request (a 413, say).
      case SENDING ->
          next == AWAITING_HEAD || next == CONNECTING || next == RELAYING || next == DONE;
      case AWAITING_HEAD -> next == RELAYING || next == DRAINING || next == DONE;
      case RELAYING -> next == DRAINING || next == DONE;
      case DRAINING -> next == DONE;
      case DONE -> false;
    };
  }

  /** The next state; a move this state does not allow is a bug, so it throws. */
  ExchangeState to(ExchangeState next) {
    if (!canMoveTo(next)) {
      throw new IllegalStateException("an exchange cannot move from " + this + " to " + next);
    }
    return next;
  }

  /** True once the request has left in full: the provider may bill it, so it is never resent. */
  boolean requestSent() {
    return this == AWAITING_HEAD || this == RELAYING || this == DRAINING;
  }
}
