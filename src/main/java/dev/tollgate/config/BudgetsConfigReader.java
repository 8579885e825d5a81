package dev.tollgate.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/** The {@code budgets:} section of the config (kept apart: ConfigLoader reads the rest). */
final class BudgetsConfigReader {
  private BudgetsConfigReader() {}

  /**
   * @param path resolves a path written in the config file
   * @param env reads an environment variable (empty when unset or blank)
   * @param defaultFile budgets.yaml beside the config file (or in config/ without one)
   */
  static BudgetsConfig read(
      Section s,
      Function<String, Path> path,
      Function<String, Optional<String>> env,
      Path defaultFile) {
    String file = s.string("file", null);
    String unpriced = s.string("unpriced", "allow").trim();
    if (!unpriced.equals("allow") && !unpriced.equals("refuse")) {
      throw new ConfigException(
          s.keyPath("unpriced") + ": must be allow or refuse, got '" + unpriced + "'");
    }
    List<Integer> alerts = new ArrayList<>();
    for (String a : s.has("alerts") ? s.strings("alerts") : List.of("50", "80", "100")) {
      try {
        alerts.add(Integer.parseInt(a.trim()));
      } catch (NumberFormatException e) {
        throw new ConfigException(s.keyPath("alerts") + ": expected percentages, got '" + a + "'");
      }
    }
    Optional<URI> webhook =
        Optional.ofNullable(s.string("webhook_url", null))
            .filter(u -> !u.isBlank())
            .map(
                u -> {
                  try {
                    return URI.create(u.trim());
                  } catch (IllegalArgumentException e) {
                    throw new ConfigException(
                        s.keyPath("webhook_url") + ": not a valid URL: '" + u + "'");
                  }
                });
    String secretEnv = s.string("webhook_secret_env", "TOLLGATE_WEBHOOK_SECRET");
    Optional<String> secret =
        env.apply(secretEnv)
            .or(() -> Optional.ofNullable(s.string("webhook_secret", null)))
            .filter(v -> !v.isBlank());
    Duration sync = s.duration("sync_interval", Duration.ofSeconds(1));
    List<RateLimitConfig> limits = new ArrayList<>();
    for (Section r : s.sections("rate_limits")) {
      String scope = r.string("scope", "");
      int colon = scope.indexOf(':');
      limits.add(
          new RateLimitConfig(
              colon > 0 ? scope.substring(0, colon).trim() : scope,
              colon > 0 ? scope.substring(colon + 1).trim() : "",
              r.integer("requests_per_minute", 0),
              r.integer("tokens_per_minute", 0)));
      r.rejectUnknownKeys();
    }
    return new BudgetsConfig(
        file == null || file.isBlank() ? defaultFile : path.apply(file),
        sync,
        s.duration("lease", sync.multipliedBy(5)),
        s.integer("default_max_output_tokens", 4096),
        unpriced.equals("refuse"),
        s.duration("hold_timeout", Duration.ofMinutes(30)),
        s.duration("top_up_timeout", Duration.ofSeconds(2)),
        alerts,
        webhook,
        secret,
        (int) s.integer("webhook_retries", 5),
        limits);
  }
}
