package dev.tollgate.call;

import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/** What spend can be grouped by (besides tags): each names how to read it off a call. */
public enum Dimension {
  TEAM(c -> c.attribution().team()),
  PROJECT(c -> c.attribution().project()),
  USER(c -> c.attribution().user()),
  KEY(c -> c.attribution().key()),
  MODEL(Call::model),
  API(c -> c.asked().api().label()),
  SERVICE_TIER(c -> c.tier().name()),
  PROVIDER(c -> c.served().provider()),
  DAY(Call::day),
  /** The UTC hour, {@code YYYY-MM-DDTHH:00Z}: read from the hourly rollups (V21) or the calls. */
  HOUR(Call::hour),
  MONTH(c -> c.day().substring(0, 7)),
  STATUS(c -> c.status().label());

  private final String label = name().toLowerCase(Locale.ROOT);
  private final Function<Call, String> value;

  Dimension(Function<Call, String> value) {
    this.value = value;
  }

  /** The name in queries and report columns, e.g. {@code service_tier}. */
  public String label() {
    return label;
  }

  /** This dimension's value for a call; null where the call has none (no project, ...). */
  public String of(Call call) {
    return value.apply(call);
  }

  public static Optional<Dimension> byLabel(String label) {
    for (Dimension d : values()) {
      if (d.label.equals(label)) {
        return Optional.of(d);
      }
    }
    return Optional.empty();
  }
}
