package dev.tollgate.config;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Budgets.
 *
 * @param file budgets.yaml (hot-reloaded; missing = none from the file)
 * @param syncInterval how often each replica reads spend and publishes its holds
 * @param lease a replica silent this long holds nothing any more (it died)
 * @param defaultMaxOutputTokens the output a call that names no max_tokens is reserved for
 * @param refuseUnpriced refuse calls to a model with no price while a hard budget covers them (else
 *     they pass, reserving nothing, and are counted as unpriced)
 * @param holdTimeout a reservation never settled within this is given back
 * @param topUpTimeout how long a call waits for this replica's share to grow (one database round
 *     trip) before it is refused
 * @param alerts default alert thresholds, percent of the limit
 * @param webhook where alerts are POSTed, if anywhere
 * @param webhookSecret signs each alert body (HMAC-SHA256), if set
 * @param webhookRetries attempts per alert before it is recorded undelivered
 * @param rateLimits requests and tokens per minute per team or key (per replica)
 */
public record BudgetsConfig(
    Path file,
    Duration syncInterval,
    Duration lease,
    long defaultMaxOutputTokens,
    boolean refuseUnpriced,
    Duration holdTimeout,
    Duration topUpTimeout,
    List<Integer> alerts,
    Optional<URI> webhook,
    Optional<String> webhookSecret,
    int webhookRetries,
    List<RateLimitConfig> rateLimits) {
  public BudgetsConfig {
    Validate.notNull(file, "budgets.file");
    Validate.positive(syncInterval, "budgets.sync_interval");
    Validate.positive(lease, "budgets.lease");
    if (lease.compareTo(syncInterval.multipliedBy(2)) < 0) {
      throw new ConfigException(
          "budgets.lease: must be at least twice budgets.sync_interval, got " + lease);
    }
    Validate.range(defaultMaxOutputTokens, 1, 10_000_000, "budgets.default_max_output_tokens");
    Validate.positive(holdTimeout, "budgets.hold_timeout");
    Validate.positive(topUpTimeout, "budgets.top_up_timeout");
    if (topUpTimeout.compareTo(Duration.ofMinutes(1)) > 0) {
      throw new ConfigException("budgets.top_up_timeout: at most 1m, got " + topUpTimeout);
    }
    for (int a : alerts) {
      Validate.range(a, 1, 1000, "budgets.alerts");
    }
    alerts = List.copyOf(alerts);
    Validate.range(webhookRetries, 1, 20, "budgets.webhook_retries");
    webhook.ifPresent(
        u -> {
          String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
          if (!(scheme.equals("http") || scheme.equals("https")) || u.getHost() == null) {
            // Any other scheme would be refused by the HTTP client at the first alert, unseen.
            throw new ConfigException(
                "budgets.webhook_url: must be an http:// or https:// URL with a host, got '"
                    + u
                    + "'");
          }
        });
    rateLimits = List.copyOf(rateLimits);
  }
}
