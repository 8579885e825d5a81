package dev.tollgate.metering;

import dev.tollgate.call.Api;
import dev.tollgate.call.Call;
import dev.tollgate.call.Reason;
import dev.tollgate.call.Usage;
import dev.tollgate.openai.ResponseFacts;
import dev.tollgate.openai.ResponseStatus;

/**
 * What a finished call is recorded with, decided as it is handed to metering: the response's usage
 * when it can be believed, an estimate from the request body and output text when a billable call
 * has none to believe, or nothing. Decided on the event loop, so that a request body no estimate
 * will read is released there.
 *
 * @param usage the usage recorded when no estimate is made (null: none)
 * @param note why the usage is not simply the response's (estimated, billed later), or null
 * @param estimate the call's tokens are estimated from its request body and output text
 */
record UsageVerdict(Usage usage, Reason note, boolean estimate) {

  /**
   * @param maxTokensPerCall reported usage beyond this is not believed
   */
  static UsageVerdict of(
      Call.Request asked, Call.Relay relay, ResponseFacts facts, long maxTokensPerCall) {
    Reason doubt = doubt(facts, maxTokensPerCall);
    Usage usage = doubt == null ? facts.usage() : null;
    boolean deferred =
        asked.api() == Api.RESPONSES
            && facts.usage() == null
            && ResponseStatus.pending(facts.responseStatus());
    boolean billable =
        (relay.status() / 100 == 2 || relay.status() == 499) && asked.api().metered();
    if (usage != null || !billable || deferred) {
      return new UsageVerdict(
          usage, deferred ? Reason.of(Reason.Kind.BILLED_ON_COMPLETION) : null, false);
    }
    Reason why = doubt != null ? doubt : Reason.of(Reason.Kind.USAGE_MISSING);
    // Audio: nothing to estimate from, so recorded unpriced, never $0.
    return asked.api().estimable()
        ? new UsageVerdict(null, why, true)
        : new UsageVerdict(Usage.ZERO, why, false);
  }

  /** Why the response's usage cannot be believed, or null when it can (or there is none). */
  private static Reason doubt(ResponseFacts facts, long maxTokensPerCall) {
    if (facts.usageInvalid() != null) {
      return Reason.of(Reason.Kind.USAGE_INVALID, facts.usageInvalid());
    }
    if (facts.usage() != null && facts.usage().total() > maxTokensPerCall) {
      return Reason.of(Reason.Kind.USAGE_OUT_OF_RANGE, facts.usage().total());
    }
    return null;
  }

  /** A reason that means the tokens were estimated, not reported. */
  static boolean estimated(Reason r) {
    return r.kind() == Reason.Kind.USAGE_MISSING
        || r.kind() == Reason.Kind.USAGE_INVALID
        || r.kind() == Reason.Kind.USAGE_OUT_OF_RANGE;
  }
}
