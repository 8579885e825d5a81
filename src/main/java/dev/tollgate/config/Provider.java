package dev.tollgate.config;

import java.util.Locale;
import java.util.Optional;

/**
 * The kinds of upstream Tollgate speaks to, and what each needs on the wire: where its native API
 * is mounted on Tollgate (if it has one), how that path maps to the upstream's, and the header that
 * carries a key in its style. A new provider plugs in here, plus its usage shape in {@code
 * openai.UsageParser}; routing and the relay are the same for all.
 */
public enum Provider {
  /** OpenAI's API under /v1; the default upstream's kind. */
  OPENAI(null, false, "authorization"),
  /** Any server speaking OpenAI's API under /v1 (DeepSeek, OpenRouter, vLLM, Ollama...). */
  OPENAI_COMPATIBLE(null, false, "authorization"),
  /** Azure OpenAI: its own /openai/deployments/... paths, sent on as they are. */
  AZURE("/openai/deployments/", false, "api-key"),
  /** Anthropic's Messages API, at ANTHROPIC_BASE_URL=http://tollgate/anthropic. */
  ANTHROPIC("/anthropic/v1", true, "x-api-key"),
  /** Gemini's generateContent API, at http://tollgate/gemini. */
  GEMINI("/gemini/v1", true, "x-goog-api-key");

  private final String mount;
  private final boolean stripMount;
  private final String keyHeader;
  private final String label = name().toLowerCase(Locale.ROOT);

  /**
   * @param mount the path prefix of its native API on Tollgate, or null when it has none
   * @param stripMount the mount's first segment is Tollgate's, not the upstream's ({@code
   *     /anthropic}); Azure's paths are the upstream's own
   * @param keyHeader where Tollgate's own key goes (a bearer token in {@code authorization})
   */
  Provider(String mount, boolean stripMount, String keyHeader) {
    this.mount = mount;
    this.stripMount = stripMount;
    this.keyHeader = keyHeader;
  }

  /** The name in config ({@code provider:}), e.g. {@code openai_compatible}. */
  public String label() {
    return label;
  }

  public String keyHeader() {
    return keyHeader;
  }

  /** The header value carrying {@code key}: a bearer token, or the bare key. */
  public String keyValue(String key) {
    return keyHeader.equals("authorization") ? "Bearer " + key : key;
  }

  /** The provider whose native API {@code path} is under, if any. */
  public static Optional<Provider> ofNativePath(String path) {
    for (Provider p : values()) {
      if (p.mount != null && path.startsWith(p.mount)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /**
   * The upstream's path for a native-API path on Tollgate ({@code /anthropic/v1/x} → {@code
   * /v1/x}).
   */
  public String upstreamPath(String path) {
    return stripMount ? path.substring(path.indexOf('/', 1)) : path;
  }

  public static Optional<Provider> byLabel(String label) {
    for (Provider p : values()) {
      if (p.label.equals(label)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }
}
