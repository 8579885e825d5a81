package dev.tollgate.pricing;

import java.time.LocalDate;
import java.util.Comparator;
import java.util.List;

/** A model's price history, oldest version first. */
public record ModelPrice(String name, String provider, List<PriceVersion> versions) {
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
