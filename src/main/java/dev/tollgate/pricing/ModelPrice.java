package dev.tollgate.pricing;

import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;

/**
 * A model's price history, oldest version first.
 *
 * @param kind what the model does: {@code chat} (text generation, the default) or {@code
 *     embedding}; a what-if never reprices one kind at the other's rates
 */
public record ModelPrice(String name, String provider, String kind, List<PriceVersion> versions) {
  public static final String CHAT = "chat";
  public static final String EMBEDDING = "embedding";

  public ModelPrice {
    if (versions.isEmpty()) {
      throw new IllegalArgumentException(name + ": needs at least one price version");
    }
    versions = versions.stream().sorted(Comparator.comparing(PriceVersion::from)).toList();
  }

  /** The version in effect on {@code day}; before the first version, the first one. */
  public PriceVersion versionOn(LocalDate day) {
    PriceVersion current = versions.get(0);
    for (PriceVersion v : versions) {
      if (v.from().isAfter(day)) {
        break;
      }
      current = v;
    }
    return current;
  }
}
