package dev.tollgate.call;

import java.util.List;

/** Which OpenAI API a path belongs to; decides how its response is read. */
public enum Api {
  CHAT("chat"),
  RESPONSES("responses"),
  EMBEDDINGS("embeddings"),
  COMPLETIONS("completions"),
  AUDIO("audio"),
  IMAGES("images"),
  /** Anthropic's native Messages API ({@code /anthropic/v1/messages}). */
  MESSAGES("messages"),
  /** Gemini's native generateContent and streamGenerateContent. */
  GENERATE_CONTENT("generate_content"),
  /** The Realtime API's WebSocket ({@code /v1/realtime}): billed per {@code response.done}. */
  REALTIME("realtime"),
  OTHER("other");

  private final String label;

  Api(String label) {
    this.label = label;
  }

  /**
   * True for the APIs that bill each call (tokens, or audio minutes): a call without usage is
   * estimated, or when it cannot be ({@link #estimable}) recorded unpriced, never $0.
   */
  public boolean metered() {
    return this == CHAT
        || this == RESPONSES
        || this == COMPLETIONS
        || this == EMBEDDINGS
        || this == MESSAGES
        || this == GENERATE_CONTENT
        || this == REALTIME
        || this == AUDIO;
  }

  /**
   * True when a call's tokens can be estimated from its request and response text; audio (an
   * uploaded file in, or sound out) cannot.
   */
  public boolean estimable() {
    return metered() && this != AUDIO;
  }

  /** The name used in logs, the ledger and metric labels. */
  public String label() {
    return label;
  }

  /** The API a stored label names; {@link #OTHER} for one this version does not know. */
  public static Api byLabel(String label) {
    for (Api a : values()) {
      if (a.label.equals(label)) {
        return a;
      }
    }
    return OTHER;
  }

  /**
   * Paths Tollgate does not meter that bill nothing per call: listings, files, moderation, token
   * counting. Anything else it cannot classify (fine-tuning jobs, batches, Realtime client secrets,
   * Gemini's embedContent, a future endpoint) may spend money Tollgate never sees.
   */
  private static final List<String> UNBILLED =
      List.of(
          "/v1/models",
          "/v1/files",
          "/v1/uploads",
          "/v1/moderations",
          "/v1/vector_stores",
          "/v1/conversations",
          "/anthropic/v1/models",
          "/anthropic/v1/files",
          "/anthropic/v1/messages/count_tokens");

  /**
   * True when {@code path} (canonical) is a call Tollgate meters, or one it knows bills nothing; a
   * path that is neither cannot be admitted against a hard budget (docs/BUDGETS.md).
   */
  public static boolean known(String path) {
    if (of(path) != OTHER) {
      return true;
    }
    if (path.startsWith("/openai/deployments/")) {
      int slash = path.indexOf('/', "/openai/deployments/".length());
      return slash > 0 && known("/v1" + path.substring(slash));
    }
    if (path.startsWith("/gemini/")) {
      // Model listings and lookups (models, models/NAME) and countTokens bill nothing.
      int models = path.indexOf("/models");
      String rest = models < 0 ? null : path.substring(models + "/models".length());
      return rest != null
          && (rest.isEmpty()
              || rest.endsWith(":countTokens")
              || (rest.startsWith("/") && rest.indexOf(':') < 0 && rest.indexOf('/', 1) < 0));
    }
    for (String p : UNBILLED) {
      if (path.equals(p) || path.startsWith(p) && path.charAt(p.length()) == '/') {
        return true;
      }
    }
    return false;
  }

  /** Classifies a client path such as {@code /v1/chat/completions}. */
  public static Api of(String path) {
    if (path.startsWith("/openai/deployments/")) {
      // Azure: /openai/deployments/{deployment}/chat/completions is the OpenAI API's /v1/...
      int slash = path.indexOf('/', "/openai/deployments/".length());
      return slash < 0 ? OTHER : of("/v1" + path.substring(slash));
    }
    if (path.equals("/anthropic/v1/messages")) {
      return MESSAGES; // count_tokens and the rest of Anthropic's API bill nothing
    }
    if (path.startsWith("/gemini/")) {
      return path.endsWith(":generateContent") || path.endsWith(":streamGenerateContent")
          ? GENERATE_CONTENT
          : OTHER; // countTokens, model listings: nothing billed
    }
    if (path.startsWith("/anthropic/")) {
      return OTHER;
    }
    String p = path.startsWith("/v1/") ? path.substring(3) : path;
    if (p.startsWith("/chat/completions")) {
      return CHAT;
    }
    if (p.startsWith("/responses")) {
      return RESPONSES;
    }
    if (p.startsWith("/embeddings")) {
      return EMBEDDINGS;
    }
    if (p.equals("/completions")) {
      return COMPLETIONS;
    }
    if (p.startsWith("/audio/")) {
      return AUDIO;
    }
    if (p.startsWith("/images/")) {
      return IMAGES;
    }
    return OTHER;
  }
}
