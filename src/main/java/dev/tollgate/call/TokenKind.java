package dev.tollgate.call;

import java.util.Locale;
import java.util.function.ToLongFunction;

/**
 * Disjoint kinds of tokens: input excludes cached input and cache writes, output excludes
 * reasoning, so the kinds add up to the call's tokens. Every list of token kinds (ledger columns,
 * reports, metrics, the admin API) is derived from this enum.
 */
public enum TokenKind {
  INPUT(Usage::uncachedInput),
  CACHED_INPUT(Usage::cachedInput),
  CACHE_WRITE(Usage::cacheWrite),
  OUTPUT(Usage::visibleOutput),
  REASONING(Usage::reasoning);

  private final String label = name().toLowerCase(Locale.ROOT);
  private final ToLongFunction<Usage> count;

  TokenKind(ToLongFunction<Usage> count) {
    this.count = count;
  }

  /** The name in metric labels, JSON and CSV, e.g. {@code cached_input}. */
  public String label() {
    return label;
  }

  /** This kind's tokens in {@code usage}. */
  public long of(Usage usage) {
    return count.applyAsLong(usage);
  }
}
