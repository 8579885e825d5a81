package dev.tollgate.call;

/**
 * Token counts for one call, normalised across API shapes. Subsets follow OpenAI's rules: {@code
 * cachedInput}, {@code cacheWrite} and {@code audioInput} are parts of {@code input}; {@code
 * reasoning} and {@code audioOutput} are parts of {@code output}; {@code cacheWrite1h} is the part
 * of {@code cacheWrite} written with a one-hour lifetime; {@code cachedAudioInput} is the part of
 * {@code cachedInput} that was audio (Realtime prices it apart). Nothing is counted twice: {@code
 * audioInput} is the audio read uncached. {@code durationMillis} is not a token count: the audio a
 * minute-metered model transcribed ({@code "usage":{"type":"duration","seconds":N}}).
 */
public record Usage(
    long input,
    long cachedInput,
    long cacheWrite,
    long output,
    long reasoning,
    long audioInput,
    long audioOutput,
    long cacheWrite1h,
    long cachedAudioInput,
    long durationMillis) {

  public static final Usage ZERO = new Usage(0, 0, 0, 0, 0, 0, 0);

  /** The most audio one call may bill: 10^9 ms, about eleven and a half days. */
  public static final long MAX_DURATION_MILLIS = 1_000_000_000L;

  /**
   * The largest count a field may hold (10^12): far beyond any real call, and small enough that
   * adding every field of a call, or pricing it at any catalog rate, can never overflow.
   */
  public static final long MAX_COUNT = 1_000_000_000_000L;

  public Usage {
    if (input > MAX_COUNT
        || cachedInput > MAX_COUNT
        || cacheWrite > MAX_COUNT
        || output > MAX_COUNT
        || reasoning > MAX_COUNT
        || audioInput > MAX_COUNT
        || audioOutput > MAX_COUNT
        || cacheWrite1h > MAX_COUNT
        || cachedAudioInput > MAX_COUNT) {
      throw new IllegalArgumentException("token counts must not exceed " + MAX_COUNT);
    }
    if (durationMillis < 0 || durationMillis > MAX_DURATION_MILLIS) {
      throw new IllegalArgumentException("a duration must be from 0 to " + MAX_DURATION_MILLIS);
    }
    if (input < 0
        || cachedInput < 0
        || cacheWrite < 0
        || output < 0
        || reasoning < 0
        || audioInput < 0
        || audioOutput < 0
        || cacheWrite1h < 0
        || cachedAudioInput < 0) {
      throw new IllegalArgumentException("token counts must not be negative");
    }
    // Providers occasionally report a subset larger than its whole; clamp so the parts add up.
    cachedInput = Math.min(cachedInput, input);
    cacheWrite = Math.min(cacheWrite, input - cachedInput);
    audioInput = Math.min(audioInput, input);
    reasoning = Math.min(reasoning, output);
    audioOutput = Math.min(audioOutput, output - reasoning);
    cacheWrite1h = Math.min(cacheWrite1h, cacheWrite);
    cachedAudioInput = Math.min(cachedAudioInput, cachedInput);
  }

  /** Token usage (every shape but a minute-metered transcription's). */
  public Usage(
      long input,
      long cachedInput,
      long cacheWrite,
      long output,
      long reasoning,
      long audioInput,
      long audioOutput,
      long cacheWrite1h,
      long cachedAudioInput) {
    this(
        input,
        cachedInput,
        cacheWrite,
        output,
        reasoning,
        audioInput,
        audioOutput,
        cacheWrite1h,
        cachedAudioInput,
        0);
  }

  /** A minute-metered call's usage: audio of this duration, no tokens. */
  public static Usage duration(long millis) {
    return new Usage(0, 0, 0, 0, 0, 0, 0, 0, 0, millis);
  }

  /** Usage without a cached-audio slice (all but Realtime's). */
  public Usage(
      long input,
      long cachedInput,
      long cacheWrite,
      long output,
      long reasoning,
      long audioInput,
      long audioOutput,
      long cacheWrite1h) {
    this(
        input,
        cachedInput,
        cacheWrite,
        output,
        reasoning,
        audioInput,
        audioOutput,
        cacheWrite1h,
        0);
  }

  /** Usage without a one-hour cache-write slice (all but Anthropic's native shape). */
  public Usage(
      long input,
      long cachedInput,
      long cacheWrite,
      long output,
      long reasoning,
      long audioInput,
      long audioOutput) {
    this(input, cachedInput, cacheWrite, output, reasoning, audioInput, audioOutput, 0, 0);
  }

  public static Usage of(long input, long output) {
    return new Usage(input, 0, 0, output, 0, 0, 0);
  }

  /** This usage with every cache write made with the long retention (a request asked for it). */
  public Usage withLongCacheWrites() {
    return new Usage(
        input,
        cachedInput,
        cacheWrite,
        output,
        reasoning,
        audioInput,
        audioOutput,
        cacheWrite,
        cachedAudioInput,
        durationMillis);
  }

  /** Input tokens billed at the plain input rate: neither read from nor written to the cache. */
  public long uncachedInput() {
    return input - cachedInput - cacheWrite;
  }

  /** Output tokens the client saw: output minus reasoning. */
  public long visibleOutput() {
    return output - reasoning;
  }

  public long total() {
    return input + output;
  }
}
