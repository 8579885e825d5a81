package dev.tollgate.pricing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.call.Call.Charge;
import dev.tollgate.call.Money;
import dev.tollgate.call.PricingStatus;
import dev.tollgate.call.ServiceTier;
import dev.tollgate.call.Usage;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The models, tiers, eras and meters of PRICES.md §6.7 against the shipped catalog. Every expected
 * cost is worked out by hand from PRICES.md in the comment above its row, not by the code under
 * test. Usage columns: input (all of it), cached, cache write, of which 12-hour, output (all of
 * it), of which reasoning, uncached audio in, audio out, cached audio, milliseconds of audio.
 */
class NewestPricesTest {
  static final PriceCatalog CATALOG = CatalogLoader.bundled();
  final Pricer pricer = new Pricer(new ToolQuota());

  @ParameterizedTest(name = "{0} {1} at {2}: ${13} {14}")
  @CsvSource(
      nullValues = "-",
      value = {
        // gpt-6.2-sol: 7,000 x 2 + 2,000 x 0.1 + 1,000 x 2.5 + 700 x 10 + 300 x 10 = 26,700 / 1M
        "gpt-6.2-sol, -, 2026-12-05T10:00:00Z, 10000, 2000, 1000, 0, 1000, 300, 0, 0, 0, 0,"
            + " 0.0267, estimated, gpt-6.2-sol@2026-11-17",
        // Fast is Priority: 2x every rate.
        "gpt-6.2-sol, fast, 2026-12-05T10:00:00Z, 10000, 2000, 1000, 0, 1000, 300, 0, 0, 0, 0,"
            + " 0.0534, estimated, gpt-6.2-sol@2026-11-17/priority",
        "gpt-6.2-sol, priority, 2026-12-05T10:00:00Z, 10000, 2000, 1000, 0, 1000, 300, 0, 0, 0, 0,"
            + " 0.0534, estimated, gpt-6.2-sol@2026-11-17/priority",
        // Ultrafast: 3x until 2027-02-28, 6x from 2027-03-01.
        "gpt-6.2-sol, ultrafast, 2026-12-05T10:00:00Z, 10000, 2000, 1000, 0, 1000, 300, 0, 0, 0,"
            + " 0, 0.0801, estimated, gpt-6.2-sol@2026-11-17/ultrafast",
        "gpt-6.2-sol, ultrafast, 2027-03-05T10:00:00Z, 10000, 2000, 1000, 0, 1000, 300, 0, 0, 0,"
            + " 0, 0.1602, estimated, gpt-6.2-sol@2027-03-01/ultrafast",
        // The 12-hour retention's writes: 1,000 x 5 = 5,000 / 1M.
        "gpt-6.2-sol, -, 2026-12-05T10:00:00Z, 1000, 0, 1000, 1000, 0, 0, 0, 0, 0, 0,"
            + " 0.005, estimated, gpt-6.2-sol@2026-11-17",
        // Over 272K: 300,000 x 4 + 1,000 x 15 = 1,215,000 / 1M; with Fast, twice that.
        "gpt-6.2-sol, -, 2026-12-05T10:00:00Z, 300000, 0, 0, 0, 1000, 0, 0, 0, 0, 0,"
            + " 1.215, estimated, gpt-6.2-sol@2026-11-17/long",
        "gpt-6.2-sol, fast, 2026-12-05T10:00:00Z, 300000, 0, 0, 0, 1000, 0, 0, 0, 0, 0,"
            + " 2.43, estimated, gpt-6.2-sol@2026-11-17/priority/long",
        // gpt-6.2-astra: 10,000 x 8 + 1,000 x 40 = 120,000 / 1M.
        "gpt-6.2-astra, -, 2026-12-05T10:00:00Z, 10000, 0, 0, 0, 1000, 0, 0, 0, 0, 0,"
            + " 0.12, estimated, gpt-6.2-astra@2026-11-17",
        // gpt-6.1-terra: 10,000 x 1 + 1,000 x 5 = 15,000 / 1M.
        "gpt-6.1-terra, -, 2026-12-05T10:00:00Z, 10000, 0, 0, 0, 1000, 0, 0, 0, 0, 0,"
            + " 0.015, estimated, gpt-6.1-terra@2026-09-29",
        // gpt-6.1-sol from its release: 7,000 x 2 + 2,000 x 0.1 + 1,000 x 2.5 + 1,000 x 10.
        "gpt-6.1-sol-2026-09-29, -, 2026-10-05T10:00:00Z, 10000, 2000, 1000, 0, 1000, 0, 0, 0, 0,"
            + " 0, 0.0267, estimated, gpt-6.1-sol@2026-09-29",
        // gpt-realtime-2: 400 x 4 + 600 x 32 + 300 x 0.4 + 200 x 0.4 + 200 x 24 + 600 x 64.
        "gpt-realtime-2, -, 2026-12-05T10:00:00Z, 1500, 500, 0, 0, 800, 0, 600, 600, 200, 0,"
            + " 0.0642, estimated, gpt-realtime-2@2026-07-22",
        // gpt-realtime-2.1-mini is priced as gpt-realtime-mini: 400 x 0.6 + 600 x 10 + 300 x
        // 0.06 + 200 x 0.3 + 200 x 2.4 + 600 x 20 = 18,798 / 1M.
        "gpt-realtime-2.1-mini, -, 2026-12-05T10:00:00Z, 1500, 500, 0, 0, 800, 0, 600, 600, 200, 0,"
            + " 0.018798, priced, gpt-realtime-mini@2025-10-06",
        // gpt-realtime-1.5 as gpt-realtime: 1,000 x 4 + 1,000 x 16.
        "gpt-realtime-1.5, -, 2026-12-05T10:00:00Z, 1000, 0, 0, 0, 1000, 0, 0, 0, 0, 0,"
            + " 0.02, priced, gpt-realtime@2025-08-28",
        // Token-metered transcription: 200 text x 2.5 + 800 audio x 6 + 300 x 10 = 8,300 / 1M.
        "gpt-4o-transcribe, -, 2026-12-05T10:00:00Z, 1000, 0, 0, 0, 300, 0, 800, 0, 0, 0,"
            + " 0.0083, estimated, gpt-4o-transcribe@2025-03-20",
        // 200 x 1.25 + 800 x 3 + 300 x 5 = 4,150 / 1M.
        "gpt-4o-mini-transcribe, -, 2026-12-05T10:00:00Z, 1000, 0, 0, 0, 300, 0, 800, 0, 0, 0,"
            + " 0.00415, estimated, gpt-4o-mini-transcribe@2025-03-20",
        // Minute-metered: 125 s x $0.006 / 60 = $0.0125; 7.5 s x $0.0045 / 60 = $0.0005625;
        // 60 s x $0.017 / 60 = $0.017.
        "whisper-1, -, 2026-12-05T10:00:00Z, 0, 0, 0, 0, 0, 0, 0, 0, 0, 125000,"
            + " 0.0125, estimated, whisper-1@2023-03-01",
        "gpt-transcribe, -, 2026-12-05T10:00:00Z, 0, 0, 0, 0, 0, 0, 0, 0, 0, 7500,"
            + " 0.0005625, estimated, gpt-transcribe@2026-09-29",
        "gpt-live-transcribe, -, 2026-12-05T10:00:00Z, 0, 0, 0, 0, 0, 0, 0, 0, 0, 60000,"
            + " 0.017, estimated, gpt-realtime-whisper@2026-09-29",
        // Legacy models, 1,000 in and 1,000 out each: input + output rates / 1,000.
        "gpt-4-0613, -, 2026-12-05T10:00:00Z, 1000, 0, 0, 0, 1000, 0, 0, 0, 0, 0,"
            + " 0.09, priced, gpt-4@2023-03-14",
        "gpt-4-32k, -, 2026-12-05T10:00:00Z, 1000, 0, 0, 0, 1000, 0, 0, 0, 0, 0,"
            + " 0.18, priced, gpt-4-32k@2023-03-14",
        "gpt-4-turbo-2024-04-09, -, 2026-12-05T10:00:00Z, 1000, 0, 0, 0, 1000, 0, 0, 0, 0, 0,"
            + " 0.04, priced, gpt-4-turbo@2023-11-06",
        "gpt-4-1106-preview, -, 2026-12-05T10:00:00Z, 1000, 0, 0, 0, 1000, 0, 0, 0, 0, 0,"
            + " 0.04, priced, gpt-4-turbo@2023-11-06",
        "gpt-3.5-turbo-0125, -, 2026-12-05T10:00:00Z, 1000, 0, 0, 0, 1000, 0, 0, 0, 0, 0,"
            + " 0.002, priced, gpt-3.5-turbo@2024-01-25",
        "gpt-3.5-turbo-instruct, -, 2026-12-05T10:00:00Z, 1000, 0, 0, 0, 1000, 0, 0, 0, 0, 0,"
            + " 0.0035, priced, gpt-3.5-turbo-instruct@2023-09-18",
        "chatgpt-4o-latest, -, 2026-12-05T10:00:00Z, 1000, 0, 0, 0, 1000, 0, 0, 0, 0, 0,"
            + " 0.02, priced, chatgpt-4o-latest@2024-08-13",
        "o1-preview, -, 2026-12-05T10:00:00Z, 1000, 0, 0, 0, 1000, 0, 0, 0, 0, 0,"
            + " 0.075, priced, o1@2024-12-17",
        "computer-use-preview, -, 2026-12-05T10:00:00Z, 1000, 0, 0, 0, 1000, 0, 0, 0, 0, 0,"
            + " 0.015, priced, computer-use-preview@2025-03-11",
        "gpt-4o-search-preview, -, 2026-12-05T10:00:00Z, 1000, 0, 0, 0, 1000, 0, 0, 0, 0, 0,"
            + " 0.0125, priced, gpt-4o-search-preview@2025-03-11",
        "gpt-4o-mini-search-preview, -, 2026-12-05T10:00:00Z, 1000, 0, 0, 0, 1000, 0, 0, 0, 0, 0,"
            + " 0.00075, estimated, gpt-4o-mini-search-preview@2025-03-11",
        // gpt-4o-audio-preview: 500 text x 2.5 + 500 audio x 40 + 500 text x 10 + 500 audio x 80.
        "gpt-4o-audio-preview, -, 2026-12-05T10:00:00Z, 1000, 0, 0, 0, 1000, 0, 500, 500, 0, 0,"
            + " 0.06625, estimated, gpt-4o-audio-preview@2024-10-01",
        "gpt-5.1-codex-max, -, 2026-12-05T10:00:00Z, 1000, 0, 0, 0, 1000, 0, 0, 0, 0, 0,"
            + " 0.01125, estimated, gpt-5.1-codex-max@2025-11-19",
        // Gemini 2.5 Pro's cache read, 2,000 x 1.25 + 8,000 x cached + 100 x 10: at launch 0.31
        // (5,980 / 1M), in the gap the cut fell in the same and flagged, after it 0.125 (4,500).
        "gemini-2.5-pro, -, 2025-06-20T10:00:00Z, 10000, 8000, 0, 0, 100, 0, 0, 0, 0, 0,"
            + " 0.00598, priced, gemini-2.5-pro@2025-06-17",
        "gemini-2.5-pro, -, 2025-08-20T10:00:00Z, 10000, 8000, 0, 0, 100, 0, 0, 0, 0, 0,"
            + " 0.00598, estimated, gemini-2.5-pro@2025-07-06",
        "gemini-2.5-pro, -, 2026-12-05T10:00:00Z, 10000, 8000, 0, 0, 100, 0, 0, 0, 0, 0,"
            + " 0.0045, priced, gemini-2.5-pro@2025-10-31",
        // Over 200K, both rates x2 and output x1.5: 2,000 x 2.5 + 300,000 x 0.25 + 100 x 15.
        "gemini-2.5-pro, -, 2026-12-05T10:00:00Z, 302000, 300000, 0, 0, 100, 0, 0, 0, 0, 0,"
            + " 0.0815, priced, gemini-2.5-pro@2025-10-31/long",
        // Flash: 2,000 x 0.3 + 8,000 x 0.075 then 0.03 + 100 x 2.5.
        "gemini-2.5-flash, -, 2025-06-20T10:00:00Z, 10000, 8000, 0, 0, 100, 0, 0, 0, 0, 0,"
            + " 0.00145, priced, gemini-2.5-flash@2025-06-17",
        "gemini-2.5-flash, -, 2026-12-05T10:00:00Z, 10000, 8000, 0, 0, 100, 0, 0, 0, 0, 0,"
            + " 0.00109, priced, gemini-2.5-flash@2025-10-31",
        // A model without Ultrafast rates: 3x, then 6x its default rates, flagged (gpt-5.4: 2.5
        // and 15, 1,000 of each = 0.0175 at default).
        "gpt-5.4, ultrafast, 2026-12-05T10:00:00Z, 1000, 0, 0, 0, 1000, 0, 0, 0, 0, 0,"
            + " 0.0525, estimated, gpt-5.4@2026-03-05/ultrafast~",
        "gpt-5.4, ultrafast, 2027-03-05T10:00:00Z, 1000, 0, 0, 0, 1000, 0, 0, 0, 0, 0,"
            + " 0.105, estimated, gpt-5.4@2026-03-05/ultrafast~",
        // Fast on a gpt-5.x model is its Priority column: 1,000 x 5 + 1,000 x 30.
        "gpt-5.4, fast, 2026-12-05T10:00:00Z, 1000, 0, 0, 0, 1000, 0, 0, 0, 0, 0,"
            + " 0.035, priced, gpt-5.4@2026-03-05/priority",
      })
  void eachNewModelTierEraAndMeterCostsWhatPricesMdSays(
      String model,
      String tier,
      String at,
      long input,
      long cached,
      long write,
      long write12h,
      long output,
      long reasoning,
      long audioIn,
      long audioOut,
      long cachedAudio,
      long durationMs,
      String cost,
      String status,
      String version) {
    Usage usage =
        new Usage(
            input,
            cached,
            write,
            output,
            reasoning,
            audioIn,
            audioOut,
            write12h,
            cachedAudio,
            durationMs);
    Charge c =
        pricer.price(CATALOG, model, ServiceTier.of(tier), usage, Map.of(), Instant.parse(at));
    assertThat(Money.format(c.cost().total())).isEqualTo(cost);
    assertThat(c.status().label()).isEqualTo(status);
    assertThat(c.priceVersion()).isEqualTo(version);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({
    "whisper-1, 1000, 0, whisper-1 per token",
    "gpt-4o-transcribe, 0, 5000, gpt-4o-transcribe per minute",
  })
  void aMeterTheModelHasNoRateForIsUnpricedNeverZero(
      String model, long input, long durationMs, String why) {
    Usage usage = new Usage(input, 0, 0, 0, 0, 0, 0, 0, 0, durationMs);
    Charge c =
        pricer.price(
            CATALOG,
            model,
            ServiceTier.DEFAULT,
            usage,
            Map.of(),
            Instant.parse("2026-12-05T10:00:00Z"));
    assertThat(c.status()).isEqualTo(PricingStatus.UNPRICED);
    assertThat(c.reasons().get(0).toString()).isEqualTo("no_price:" + why);
  }
}
