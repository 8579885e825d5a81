package dev.tollgate.pricing;

import java.math.BigDecimal;
import java.util.Objects;
import java.util.function.UnaryOperator;

/**
 * USD per 1M tokens, one rate per kind of token, and USD per minute of audio for a minute-metered
 * model. Every token rate is set: the loader fills the ones a catalog entry leaves out from the
 * documented defaults (cached and audio input at the input rate, cached audio at the cached rate,
 * cache writes at 1.25× input, reasoning and audio output at the output rate).
 *
 * @param perMinute USD per minute of audio, or null when the model is not priced by the minute
 * @param tokensPriced false for a model priced only by the minute: its token rates are zeros that
 *     must never price tokens (such a call is unpriced, never $0)
 */
public record Rates(
    BigDecimal input,
    BigDecimal cachedInput,
    BigDecimal cacheWrite5m,
    BigDecimal cacheWrite1h,
    BigDecimal output,
    BigDecimal reasoning,
    BigDecimal audioInput,
    BigDecimal audioOutput,
    BigDecimal cachedAudioInput,
    BigDecimal perMinute,
    boolean tokensPriced) {

  public Rates {
    Objects.requireNonNull(input, "input");
    Objects.requireNonNull(cachedInput, "cachedInput");
    Objects.requireNonNull(cacheWrite5m, "cacheWrite5m");
    Objects.requireNonNull(cacheWrite1h, "cacheWrite1h");
    Objects.requireNonNull(output, "output");
    Objects.requireNonNull(reasoning, "reasoning");
    Objects.requireNonNull(audioInput, "audioInput");
    Objects.requireNonNull(audioOutput, "audioOutput");
    Objects.requireNonNull(cachedAudioInput, "cachedAudioInput");
  }

  /** Scales the input-side and output-side rates separately (long-context rules, discounts). */
  public Rates scaled(BigDecimal inputFactor, BigDecimal outputFactor) {
    UnaryOperator<BigDecimal> in = r -> r.multiply(inputFactor);
    UnaryOperator<BigDecimal> out = r -> r.multiply(outputFactor);
    return new Rates(
        in.apply(input),
        in.apply(cachedInput),
        in.apply(cacheWrite5m),
        in.apply(cacheWrite1h),
        out.apply(output),
        out.apply(reasoning),
        in.apply(audioInput),
        out.apply(audioOutput),
        in.apply(cachedAudioInput),
        perMinute == null ? null : in.apply(perMinute),
        tokensPriced);
  }

  public Rates scaled(BigDecimal factor) {
    return scaled(factor, factor);
  }
}
