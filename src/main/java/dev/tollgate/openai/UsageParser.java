package dev.tollgate.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.call.Usage;

/**
 * Reads a {@code usage} object in any of the shapes OpenAI-compatible servers send: Chat
 * Completions and legacy completions ({@code prompt_tokens}), Responses ({@code input_tokens}),
 * embeddings, audio, DeepSeek's cache hit/miss counts and Anthropic's cache creation/read counts.
 * Unknown fields are ignored; absent or null details count as zero.
 */
public final class UsageParser {
  private UsageParser() {}

  /** Null when the node holds no recognisable token counts. */
  public static Usage parse(JsonNode u) {
    if (u == null || !u.isObject()) {
      return null;
    }
    boolean chatShape = u.has("prompt_tokens") || u.has("completion_tokens");
    boolean responsesShape = u.has("input_tokens") || u.has("output_tokens");
    if (!chatShape && !responsesShape) {
      return null;
    }
    JsonNode inDetails =
        firstObject(u, "prompt_tokens_details", "input_tokens_details", "input_token_details");
    JsonNode outDetails =
        firstObject(
            u, "completion_tokens_details", "output_tokens_details", "output_token_details");

    long input = chatShape ? count(u, "prompt_tokens") : count(u, "input_tokens");
    long output = chatShape ? count(u, "completion_tokens") : count(u, "output_tokens");
    long cached = count(inDetails, "cached_tokens");
    long cacheWrite = count(inDetails, "cache_write_tokens");

    // DeepSeek: hit + miss = prompt_tokens; hits are the cached part.
    if (u.has("prompt_cache_hit_tokens") && cached == 0) {
      cached = count(u, "prompt_cache_hit_tokens");
    }
    long cacheWrite1h = count(firstObject(u, "cache_creation"), "ephemeral_1h_input_tokens");
    // Anthropic's native shape: input_tokens excludes both cache reads and cache writes.
    if (u.has("cache_read_input_tokens") || u.has("cache_creation_input_tokens")) {
      long read = count(u, "cache_read_input_tokens");
      long created = count(u, "cache_creation_input_tokens");
      if (!chatShape) {
        input += read + created;
      }
      cached = Math.max(cached, read);
      cacheWrite = Math.max(cacheWrite, created);
    }
    return new Usage(
        input,
        cached,
        cacheWrite,
        output,
        count(outDetails, "reasoning_tokens"),
        count(inDetails, "audio_tokens"),
        count(outDetails, "audio_tokens"),
        cacheWrite1h);
  }

  private static JsonNode firstObject(JsonNode u, String... names) {
    for (String name : names) {
      JsonNode n = u.get(name);
      if (n != null && n.isObject()) {
        return n;
      }
    }
    return null;
  }

  private static long count(JsonNode node, String field) {
    if (node == null) {
      return 0;
    }
    JsonNode v = node.get(field);
    return v != null && v.canConvertToLong() && v.asLong() > 0 ? v.asLong() : 0;
  }
}
