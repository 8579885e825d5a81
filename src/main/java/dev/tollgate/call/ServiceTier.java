package dev.tollgate.call;

import java.util.Locale;

/**
 * The tier a call was served at (stored, reported and labelled as served), normalised once: lower
 * case; absent, {@code auto} (a request, never a served rate) and {@code standard} are {@link
 * #DEFAULT}. {@code fast} and {@code priority} are one tier with one price (OpenAI renamed Priority
 * to Fast on 2026-07-30), priced as {@code priority} ({@link #priced}) whichever a request or
 * response says, and labelled as it said. Other names ({@code flex}, {@code batch}, {@code scale},
 * ...) are kept, so a catalog can price tiers this code does not know.
 */
public record ServiceTier(String name) {
  public static final ServiceTier DEFAULT = new ServiceTier("default");
  public static final ServiceTier PRIORITY = new ServiceTier("priority");
  public static final ServiceTier FAST = new ServiceTier("fast");
  public static final ServiceTier ULTRAFAST = new ServiceTier("ultrafast");
  private static final ServiceTier FLEX = new ServiceTier("flex");
  private static final ServiceTier BATCH = new ServiceTier("batch");

  public ServiceTier {
    java.util.Objects.requireNonNull(name, "name");
  }

  /** Normalises a tier as a request or response spelled it; null means default. */
  public static ServiceTier of(String raw) {
    if (raw == null) {
      return DEFAULT;
    }
    // Asked several times per call (ledger row, daily totals, each rollup, metrics): the spellings
    // providers send are matched as they are, before trimming and lowercasing (a scan each).
    ServiceTier exact = known(raw);
    if (exact != null) {
      return exact;
    }
    String t = raw.trim().toLowerCase(Locale.ROOT);
    exact = known(t);
    return exact != null ? exact : new ServiceTier(t);
  }

  private static ServiceTier known(String t) {
    return switch (t) {
      case "", "default", "auto", "standard" -> DEFAULT;
      case "priority" -> PRIORITY; // the common tiers, without an allocation per call
      case "fast" -> FAST;
      case "flex" -> FLEX;
      case "batch" -> BATCH;
      case "ultrafast" -> ULTRAFAST;
      default -> null;
    };
  }

  /** The tier whose rates price it: {@code fast} is priced as {@code priority}. */
  public ServiceTier priced() {
    return equals(FAST) ? PRIORITY : this;
  }

  public boolean isDefault() {
    return equals(DEFAULT);
  }

  @Override
  public String toString() {
    return name;
  }
}
