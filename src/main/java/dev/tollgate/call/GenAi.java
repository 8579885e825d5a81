package dev.tollgate.call;

/**
 * The OpenTelemetry GenAI semantic conventions' names for what a call was: its operation and who
 * served it. Metrics and spans both name calls this way, so a dashboard links to the traces.
 */
public final class GenAi {
  private GenAi() {}

  /** {@code gen_ai.operation.name}. */
  public static String operation(Api api) {
    return switch (api) {
      case CHAT, RESPONSES, MESSAGES, REALTIME -> "chat";
      case GENERATE_CONTENT -> "generate_content";
      case COMPLETIONS -> "text_completion";
      case EMBEDDINGS -> "embeddings";
      default -> api.label();
    };
  }

  /**
   * {@code gen_ai.provider.name}: the convention's value for a provider it lists, else the name of
   * the upstream that served the call (an OpenAI-compatible server of the site's own).
   */
  public static String provider(Call c) {
    switch (c.asked().api()) {
      case MESSAGES:
        return "anthropic";
      case GENERATE_CONTENT:
        return "gcp.gemini";
      default:
        break;
    }
    String served = c.served().provider();
    if (served == null) {
      return "openai";
    }
    return switch (served) {
      case "azure" -> "azure.ai.openai";
      case "gemini" -> "gcp.gemini";
      default -> served;
    };
  }
}
