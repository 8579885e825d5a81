package dev.tollgate.call;

import java.util.Locale;

/** How much to trust a call's cost. */
public enum PricingStatus {
  /** Reported usage priced by a catalog rule that fits the call exactly. */
  PRICED,
  /** A number, but not an exact one: usage was estimated or a fallback rule was used. */
  ESTIMATED,
  /** No price for the model: counted, never silently $0. */
  UNPRICED;

  // Read per call by the ledger's rollups, metrics and the access log: made once, not per call.
  private final String label = name().toLowerCase(Locale.ROOT);

  public String label() {
    return label;
  }
}
