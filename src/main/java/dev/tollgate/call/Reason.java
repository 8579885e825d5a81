package dev.tollgate.call;

import java.util.Locale;
import java.util.Objects;

/**
 * Why a call's cost is not simply {@code priced}, or why nothing was billed: a kind, and a detail
 * where one helps (the model without a price, the tier without rates). Stored and shown as {@code
 * kind} or {@code kind:detail}; {@link #parse} reads that back from the ledger.
 */
public record Reason(Kind kind, String detail) {

  /** The kinds of reason; {@link #label()} is the metric label and the stored prefix. */
  public enum Kind {
    /** The catalog has no price for the model. */
    NO_PRICE,
    /** The call predates the model's first price version; the earliest was used. */
    BEFORE_FIRST_PRICE,
    /**
     * The served tier has no rates of its own: default rates were used, or for priority twice them.
     */
    TIER_UNPRICED,
    /** The catalog marks the price version unconfirmed (not checked against the provider). */
    PRICE_UNCONFIRMED,
    /** The response carried no usage; tokens were estimated. */
    USAGE_MISSING,
    /** A usage count was not a whole number from 0 up (a string, a fraction, ...); estimated. */
    USAGE_INVALID,
    /** The usage was beyond {@code usage.max_tokens_per_call}; estimated. */
    USAGE_OUT_OF_RANGE,
    /**
     * The usage was missing or unbelievable and the request and response gave nothing to estimate
     * from (a Realtime turn of audio alone, say): recorded unpriced, its cost unknown, never $0.
     */
    NOTHING_TO_ESTIMATE,
    /** A background response: billed when its completion is read, not now. */
    BILLED_ON_COMPLETION,
    /** Nothing billable: an error status, or an API that bills no tokens. */
    NOT_BILLABLE,
    /**
     * The cost was beyond what the ledger can store; recorded unpriced, with the cost as detail.
     */
    COST_OUT_OF_RANGE,
    /** A Responses object already billed once (a retrieval or replay). */
    ALREADY_BILLED,
    /** A stored reason this version does not know (kept as it was). */
    OTHER;

    private final String label = name().toLowerCase(Locale.ROOT);

    public String label() {
      return label;
    }
  }

  public Reason {
    Objects.requireNonNull(kind, "kind");
  }

  public static Reason of(Kind kind) {
    return new Reason(kind, null);
  }

  public static Reason of(Kind kind, Object detail) {
    return new Reason(kind, String.valueOf(detail));
  }

  /** Reads a stored reason; an unknown kind is {@link Kind#OTHER} with the whole text as detail. */
  public static Reason parse(String text) {
    int colon = text.indexOf(':');
    String label = colon < 0 ? text : text.substring(0, colon);
    for (Kind k : Kind.values()) {
      if (k != Kind.OTHER && k.label().equals(label)) {
        return new Reason(k, colon < 0 ? null : text.substring(colon + 1));
      }
    }
    return new Reason(Kind.OTHER, text);
  }

  @Override
  public String toString() {
    if (kind == Kind.OTHER) {
      return detail;
    }
    return detail == null ? kind.label() : kind.label() + ':' + detail;
  }
}
