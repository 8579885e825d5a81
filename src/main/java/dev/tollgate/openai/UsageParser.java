package dev.tollgate.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.call.Usage;

/**
 * Reads a {@code usage} object in any of the shapes OpenAI-compatible servers send: Chat
 * Completions and legacy completions ({@code prompt_tokens}), Responses ({@code input_tokens}),
 * embeddings, audio, DeepSeek's cache hit/miss counts and Anthropic's cache creation/read counts.
 * Unknown fields are ignored; absent or null details count as zero.
 *
 * <p>Counts come from the network and are not trusted: a count that is not a whole number from 0 to
 * {@link Usage#MAX_COUNT} (a string, a negative, a fraction, NaN, a huge value) makes the whole
 * reading {@link Reading#invalid() invalid}, so the call is estimated and flagged, never priced
 * from a guess or at $0.
 */
public final class UsageParser {
  private UsageParser() {}

  /**
   * What a usage object said.
   *
   * @param usage the counts, or null when there were none or they were not believable
   * @param invalid the first count that was not believable, as {@code field=value}, or null
   */
  public record Reading(Usage usage, String invalid) {
    static final Reading NONE = new Reading(null, null);
  }

  /** A count that is not a sane token count. */
  private static final class InvalidCount extends Exception {
    InvalidCount(String field, JsonNode value) {
      super(field + "=" + abbreviate(value.toString()), null, false, false);
    }

    private static String abbreviate(String s) {
      return s.length() <= 40 ? s : s.substring(0, 40) + "...";
    }
  }

  /** The usage in {@code u}, or why it cannot be believed; never throws. */
  public static Reading read(JsonNode u) {
    try {
      Usage usage = parse(u);
      return usage == null ? Reading.NONE : new Reading(usage, null);
    } catch (InvalidCount e) {
      return new Reading(null, e.getMessage());
    } catch (IllegalArgumentException e) {
      // Counts each in range whose sum is not (Anthropic's input adds cache reads and writes).
      return new Reading(null, "usage=" + e.getMessage());
    }
  }

  private static Usage parse(JsonNode u) throws InvalidCount {
    if (u == null || !u.isObject()) {
      return null;
    }
    if (u.has("promptTokenCount") || u.has("candidatesTokenCount")) {
      return gemini(u);
    }
    if ("duration".equals(u.path("type").asText(null))) {
      return duration(u);
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
        uncachedAudio(inDetails),
        count(outDetails, "audio_tokens"),
        cacheWrite1h,
        cachedAudio(inDetails));
  }

  /**
   * A minute-metered transcription's {@code {"type":"duration","seconds":N}}: the audio's length, a
   * whole or decimal number of seconds from 0 up, kept to the millisecond.
   */
  private static Usage duration(JsonNode u) throws InvalidCount {
    JsonNode v = u.get("seconds");
    if (v == null
        || !v.isNumber()
        || (v.isFloatingPointNumber() && !Double.isFinite(v.doubleValue()))) {
      throw new InvalidCount("seconds", v == null ? u : v);
    }
    java.math.BigDecimal seconds = v.decimalValue();
    // Compared before it is scaled: 1e-100000000 would otherwise cost a division by 10^10^8.
    if (seconds.signum() < 0
        || seconds.compareTo(java.math.BigDecimal.valueOf(Usage.MAX_DURATION_MILLIS / 1000)) > 0
        || seconds.scale() > 20) {
      throw new InvalidCount("seconds", v);
    }
    return Usage.duration(
        seconds.movePointRight(3).setScale(0, java.math.RoundingMode.HALF_UP).longValueExact());
  }

  /**
   * Gemini's usageMetadata: the prompt (with tool results fed back) includes cached content;
   * thoughts are reported apart from the candidates but billed as output.
   */
  private static Usage gemini(JsonNode u) throws InvalidCount {
    long thoughts = count(u, "thoughtsTokenCount");
    return new Usage(
        count(u, "promptTokenCount") + count(u, "toolUsePromptTokenCount"),
        count(u, "cachedContentTokenCount"),
        0,
        count(u, "candidatesTokenCount") + thoughts,
        thoughts,
        0,
        0,
        0);
  }

  /**
   * Audio input tokens not read from the cache: they take the audio rate, the cached ones the
   * cached rate. Realtime counts its cached audio inside {@code audio_tokens} and again under
   * {@code cached_tokens_details}; billing both at the audio rate would charge the cached part
   * twice over.
   */
  private static long uncachedAudio(JsonNode inDetails) throws InvalidCount {
    return Math.max(0, count(inDetails, "audio_tokens") - cachedAudio(inDetails));
  }

  /** Cached audio input (Realtime's {@code cached_tokens_details.audio_tokens}). */
  private static long cachedAudio(JsonNode inDetails) throws InvalidCount {
    JsonNode cached = inDetails == null ? null : firstObject(inDetails, "cached_tokens_details");
    return count(cached, "audio_tokens");
  }

  /**
   * The first of {@code names} that {@code u} holds; a details member of another type (a string, a
   * list) makes the reading invalid: taking its counts as zero would bill them at $0.
   */
  private static JsonNode firstObject(JsonNode u, String... names) throws InvalidCount {
    for (String name : names) {
      JsonNode n = u.get(name);
      if (n == null || n.isNull()) {
        continue;
      }
      if (!n.isObject()) {
        throw new InvalidCount(name, n);
      }
      return n;
    }
    return null;
  }

  /** A count: absent or null is 0; anything but a whole number in [0, MAX_COUNT] is invalid. */
  private static long count(JsonNode node, String field) throws InvalidCount {
    if (node == null) {
      return 0;
    }
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return 0;
    }
    if (!v.isIntegralNumber() || !v.canConvertToLong()) {
      throw new InvalidCount(field, v);
    }
    long n = v.longValue();
    if (n < 0 || n > Usage.MAX_COUNT) {
      throw new InvalidCount(field, v);
    }
    return n;
  }
}
