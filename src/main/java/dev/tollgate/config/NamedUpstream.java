package dev.tollgate.config;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * One upstream Tollgate can send calls to.
 *
 * @param name its name in routes ({@code default} is the {@code upstream:} section)
 * @param provider openai, openai_compatible, azure, anthropic or gemini
 * @param config where it is and how long to wait for it; its {@code apiKey}, when set, replaces the
 *     client's credential
 * @param deployments Azure: deployment name → the model it serves (for pricing before the response
 *     names it, and for budgets); others: empty
 */
public record NamedUpstream(
    String name, String provider, UpstreamConfig config, Map<String, String> deployments) {
  public static final String DEFAULT = "default";
  static final Set<String> PROVIDERS =
      Set.of("openai", "openai_compatible", "azure", "anthropic", "gemini");

  public NamedUpstream(String name, String provider, UpstreamConfig config) {
    this(name, provider, config, Map.of());
  }

  public NamedUpstream {
    deployments = Map.copyOf(deployments);
    if (!PROVIDERS.contains(provider)) {
      throw new ConfigException(
          "upstreams."
              + name
              + ".provider: must be one of openai, openai_compatible, azure, anthropic, gemini;"
              + " got '"
              + provider
              + "'");
    }
  }

  /** The header that carries Tollgate's own key, in the style this provider expects. */
  public String keyHeader() {
    return switch (provider) {
      case "azure" -> "api-key";
      case "anthropic" -> "x-api-key";
      case "gemini" -> "x-goog-api-key";
      default -> "authorization";
    };
  }

  /** The header's value for {@code key}: a bearer token, or the bare key. */
  public String keyValue(String key) {
    return keyHeader().equals("authorization") ? "Bearer " + key : key;
  }

  /**
   * Who served a call, in the ledger and metrics: a named upstream's name ({@code deepseek}), or
   * the default upstream's provider kind ({@code openai}). Bounded by the config.
   */
  public String label() {
    return name.equals(DEFAULT) ? provider.toLowerCase(Locale.ROOT) : name;
  }
}
