package dev.tollgate.pricing;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/**
 * A model's price history, oldest version first.
 *
 * @param kind what the model does: {@code chat} (text generation, the default) or {@code
 *     embedding}; a what-if never reprices one kind at the other's rates
 * @param source the synced price source this entry came from, or null for the curated catalog
 */
public record ModelPrice(
    String name, String provider, String kind, List<PriceVersion> versions, String source) {
  public static final String CHAT = "chat";
  public static final String EMBEDDING = "embedding";

  /** A curated entry. */
  public ModelPrice(String name, String provider, String kind, List<PriceVersion> versions) {
    this(name, provider, kind, versions, null);
  }

  public ModelPrice {
    if (versions.isEmpty()) {
      throw new IllegalArgumentException(name + ": needs at least one price version");
    }
    versions = versions.stream().sorted(Comparator.comparing(PriceVersion::since)).toList();
  }

  /** The version in effect at {@code at}; before the first version, the first one. */
  public PriceVersion versionAt(Instant at) {
    PriceVersion current = versions.get(0);
    for (PriceVersion v : versions) {
      if (v.since().isAfter(at)) {
        break;
      }
      current = v;
    }
    return current;
  }
}
