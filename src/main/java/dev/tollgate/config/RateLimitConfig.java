package dev.tollgate.config;

/**
 * One rate limit: requests and tokens per minute for a team or a key.
 *
 * @param kind team or key
 * @param value the team or key name, or {@code *}: each team (or key) gets its own limit
 * @param requestsPerMinute 0 = no request limit
 * @param tokensPerMinute 0 = no token limit (tokens: the estimated input plus the output cap)
 */
public record RateLimitConfig(
    String kind, String value, long requestsPerMinute, long tokensPerMinute) {
  public RateLimitConfig {
    if (!kind.equals("team") && !kind.equals("key")) {
      throw new ConfigException(
          "budgets.rate_limits: scope must be team:NAME, team:*, key:NAME or key:*, got '"
              + kind
              + ":"
              + value
              + "'");
    }
    Validate.range(requestsPerMinute, 0, 100_000_000, "budgets.rate_limits.requests_per_minute");
    Validate.range(tokensPerMinute, 0, 100_000_000_000L, "budgets.rate_limits.tokens_per_minute");
  }

  public String scope() {
    return kind + ":" + value;
  }
}
