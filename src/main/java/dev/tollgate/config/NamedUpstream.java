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
 */
public record NamedUpstream(
    String name, Provider provider, UpstreamConfig config, Map<String, String> deployments) {
  public static final String DEFAULT = "default";

  public NamedUpstream(String name, Provider provider, UpstreamConfig config) {
    this(name, provider, config, Map.of());
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
}
