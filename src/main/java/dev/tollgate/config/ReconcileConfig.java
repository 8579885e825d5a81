package dev.tollgate.config;

import java.math.BigDecimal;
import java.net.URI;
import java.time.LocalTime;
import java.util.Optional;

/**
 * The daily reconciliation against OpenAI's bill (off by default).
 *
 * @param daily run every day at {@code at} (UTC), and once shortly after start
 * @param at when, UTC
 * @param days how many days before today each run compares (the bill settles over a day or two)
 * @param adminKey the admin key, read from the environment variable the config names
 * @param url OpenAI's API base URL
 * @param projects OpenAI project id → Tollgate team: compare per team too (empty: per model only)
 * @param firstRunAfter the run after start comes this long after it
 */
public record ReconcileConfig(
    boolean daily,
    LocalTime at,
    java.time.Duration firstRunAfter,
    int days,
    Optional<String> adminKey,
    URI url,
    BigDecimal toleranceUsd,
    BigDecimal tolerancePercent,
    java.util.Map<String, String> projects) {
  public ReconcileConfig {
    Validate.range(days, 1, 31, "reconcile.days");
    projects = java.util.Map.copyOf(projects);
    if (daily && adminKey.isEmpty()) {
      throw new ConfigException(
          "reconcile.schedule: daily needs an OpenAI admin key in the variable"
              + " reconcile.admin_key_env names (OPENAI_ADMIN_KEY by default)");
    }
  }

  static ReconcileConfig read(
      Section s, java.util.function.Function<String, Optional<String>> env) {
    String schedule = s.string("schedule", "off").trim();
    if (!schedule.equals("off") && !schedule.equals("daily") && !schedule.equals("false")) {
      throw new ConfigException(
          s.keyPath("schedule") + ": must be off or daily, got '" + schedule + "'");
    }
    LocalTime at;
    try {
      at = LocalTime.parse(s.string("at", "02:00").trim());
    } catch (java.time.DateTimeException e) {
      throw new ConfigException(s.keyPath("at") + ": a UTC time like 02:00");
    }
    return new ReconcileConfig(
        schedule.equals("daily"),
        at,
        s.duration("first_run_after", java.time.Duration.ofSeconds(30)),
        (int) s.integer("days", 2),
        env.apply(s.string("admin_key_env", "OPENAI_ADMIN_KEY"))
            .or(() -> Optional.ofNullable(s.string("admin_key", null)))
            .filter(k -> !k.isBlank()),
        URI.create(s.string("url", "https://api.openai.com/v1").trim()),
        s.decimal("tolerance_usd", new BigDecimal("0.01")),
        s.decimal("tolerance_percent", BigDecimal.ONE),
        projects(s.section("projects")));
  }

  private static java.util.Map<String, String> projects(Section s) {
    java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
    for (String project : s.keys()) {
      out.put(project, s.string(project, ""));
    }
    return out;
  }
}
