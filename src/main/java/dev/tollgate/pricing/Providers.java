package dev.tollgate.pricing;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Provider names as price maps spell them, brought to one spelling (LiteLLM's), and which providers
 * make the models they list rather than resell them.
 */
public final class Providers {
  private Providers() {}

  /** models.dev's names for providers LiteLLM names otherwise. */
  private static final Map<String, String> ALIASES =
      Map.of(
          "google", "gemini",
          "google-vertex", "vertex_ai",
          "togetherai", "together_ai",
          "fireworks-ai", "fireworks_ai",
          "moonshotai", "moonshot",
          "amazon-bedrock", "bedrock");

  /**
   * First-party APIs: their entry for a model they make is the model's own price, so it prices the
   * model wherever no entry for the serving provider does. Everyone else (Azure, Bedrock, Vertex,
   * Replicate, OpenRouter, hosts of open models) prices only the calls sent to them.
   */
  private static final Set<String> MAKERS =
      Set.of(
          "openai",
          "anthropic",
          "gemini",
          "deepseek",
          "xai",
          "mistral",
          "moonshot",
          "cohere",
          "perplexity",
          "dashscope",
          "zai",
          "minimax");

  public static String canonical(String provider) {
    if (provider == null) {
      return null;
    }
    String p = provider.toLowerCase(Locale.ROOT);
    return ALIASES.getOrDefault(p, p);
  }

  public static boolean isMaker(String provider) {
    return MAKERS.contains(canonical(provider));
  }
}
