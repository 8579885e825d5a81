package dev.tollgate.call;

import java.util.Locale;

/**
 * The parts a call's cost is split into. They partition the bill (input is uncached input only,
 * output is visible output only), so they add up to the total. Every list of components, in the
 * ledger, reports, metrics and the admin API, is derived from this enum.
 */
public enum CostComponent {
  INPUT,
  CACHED_INPUT,
  CACHE_WRITE,
  OUTPUT,
  REASONING,
  TOOLS,
  /** Minutes of audio a minute-metered model transcribed. */
  DURATION;

  private final String label = name().toLowerCase(Locale.ROOT);

  /** The name in metric labels, JSON and CSV, e.g. {@code cached_input}. */
  public String label() {
    return label;
  }
}
