package dev.tollgate.config;

import java.util.Map;

/**
 * One upstream Tollgate can send calls to.
 *
 * @param name its name in routes ({@code default} is the {@code upstream:} section)
 * @param provider its kind, which fixes its native API (if any) and its key header style
 * @param config where it is and how long to wait for it; its {@code apiKey}, when set, replaces the
 *     client's credential
 * @param deployments Azure: deployment name → the model it serves (for pricing before the response
 *     names it, and for budgets); others: empty
 * @param pricesAs the provider whose entries in a synced price map price its calls ({@code
 *     prices_as}), or null to go by its kind and host
 */
public record NamedUpstream(
    String name,
    Provider provider,
    UpstreamConfig config,
    Map<String, String> deployments,
    String pricesAs) {
  public static final String DEFAULT = "default";

  public NamedUpstream(String name, Provider provider, UpstreamConfig config) {
    this(name, provider, config, Map.of(), null);
  }

  public NamedUpstream(
      String name, Provider provider, UpstreamConfig config, Map<String, String> deployments) {
    this(name, provider, config, deployments, null);
  }

  public NamedUpstream {
    deployments = Map.copyOf(deployments);
  }

  /** The kind a config names, or a ConfigException naming the key. */
  static Provider provider(String name, String written) {
    return Provider.byLabel(written)
        .orElseThrow(
            () ->
                new ConfigException(
                    "upstreams."
                        + name
                        + ".provider: must be one of openai, openai_compatible, azure, anthropic,"
                        + " gemini; got '"
                        + written
                        + "'"));
  }

  /** The header that carries Tollgate's own key, in the style this provider expects. */
  public String keyHeader() {
    return provider.keyHeader();
  }

  /** The header's value for {@code key}: a bearer token, or the bare key. */
  public String keyValue(String key) {
    return provider.keyValue(key);
  }

  /**
   * Who served a call, in the ledger and metrics: a named upstream's name ({@code deepseek}), or
   * the default upstream's provider kind ({@code openai}). Bounded by the config.
   */
  public String label() {
    return name.equals(DEFAULT) ? provider.label() : name;
  }

  /**
   * Which provider's entries in a synced price map (LiteLLM's {@code litellm_provider}) price the
   * calls sent here: the one named by {@code prices_as}, else its kind's, or for an
   * OpenAI-compatible server the one its host is known as; null when unknown (then only a model's
   * first-party entry prices it, never a reseller's).
   */
  public String priceProvider() {
    if (pricesAs != null) {
      return pricesAs;
    }
    return switch (provider) {
      case OPENAI -> "openai";
      case AZURE -> "azure";
      case ANTHROPIC -> "anthropic";
      case GEMINI -> "gemini";
      case OPENAI_COMPATIBLE -> PRICE_PROVIDERS_BY_HOST.get(config.host());
    };
  }

  /** Hosts of OpenAI-compatible APIs and the name price maps give their provider. */
  private static final Map<String, String> PRICE_PROVIDERS_BY_HOST =
      Map.ofEntries(
          Map.entry("api.openai.com", "openai"),
          Map.entry("api.deepseek.com", "deepseek"),
          Map.entry("api.x.ai", "xai"),
          Map.entry("api.mistral.ai", "mistral"),
          Map.entry("api.groq.com", "groq"),
          Map.entry("api.together.xyz", "together_ai"),
          Map.entry("api.fireworks.ai", "fireworks_ai"),
          Map.entry("openrouter.ai", "openrouter"),
          Map.entry("api.perplexity.ai", "perplexity"),
          Map.entry("api.cerebras.ai", "cerebras"),
          Map.entry("api.moonshot.ai", "moonshot"));
}
