package dev.tollgate.sync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.ledger.PriceHistory;
import dev.tollgate.pricing.PriceCatalog;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A synced price belongs to its provider: LiteLLM and models.dev list one model under several
 * providers, and a reseller's entry (sorted first here, as Azure's often is) must price only the
 * calls sent to that reseller. Rates per 1M tokens as the maps of 2026-07-24 had them (issue 29).
 */
class SyncedCatalogTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant SEEN = Instant.parse("2026-11-01T00:00:00Z");
  @TempDir Path dir;

  /** LiteLLM's shape, keys in the order the map sorts them (resellers first). */
  private static final String LITELLM =
      "{\"azure/gpt-4o-mini\":{\"litellm_provider\":\"azure\",\"input_cost_per_token\":1.65e-07,"
          + "\"output_cost_per_token\":6.6e-07},"
          + "\"azure/only-on-azure\":{\"litellm_provider\":\"azure\",\"input_cost_per_token\":1e-06,"
          + "\"output_cost_per_token\":1e-06},"
          + "\"azure_ai/deepseek-v4-pro\":{\"litellm_provider\":\"azure_ai\","
          + "\"input_cost_per_token\":1.74e-06,\"output_cost_per_token\":3.48e-06},"
          + "\"deepseek/deepseek-v4-pro\":{\"litellm_provider\":\"deepseek\","
          + "\"input_cost_per_token\":4.35e-07,\"output_cost_per_token\":8.7e-07},"
          + "\"gpt-4o-mini\":{\"litellm_provider\":\"openai\",\"input_cost_per_token\":1.5e-07,"
          + "\"output_cost_per_token\":6e-07},"
          + "\"replicate/xai/grok-4\":{\"litellm_provider\":\"replicate\","
          + "\"input_cost_per_token\":7.2e-06,\"output_cost_per_token\":3.6e-05},"
          + "\"xai/grok-4\":{\"litellm_provider\":\"xai\",\"input_cost_per_token\":3e-06,"
          + "\"output_cost_per_token\":1.5e-05}}";

  private List<PriceHistory.Version> history(String format, String body, Instant seen)
      throws Exception {
    Path file = dir.resolve("source-" + System.nanoTime());
    Files.writeString(file, body);
    List<PriceHistory.Version> out = new ArrayList<>();
    for (Map.Entry<String, JsonNode> e : SourceFormats.read(format, file).entries().entrySet()) {
      out.add(new PriceHistory.Version("src", e.getKey(), seen, e.getValue()));
    }
    return out;
  }

  private static BigDecimal input(PriceCatalog c, String model) {
    return c.resolve(model)
        .orElseThrow(() -> new AssertionError("no price for " + model))
        .versionAt(SEEN.plusSeconds(86_400))
        .rates()
        .input();
  }

  @Test
  void eachProvidersEntryPricesItsOwnCallsAndTheMakersPricesTheRest() throws Exception {
    PriceCatalog synced = SyncedCatalog.from(history("litellm", LITELLM, SEEN), List.of("src"));

    // Sent to an upstream whose provider is unknown: the model's own or maker's entry.
    assertThat(input(synced, "deepseek-v4-pro")).isEqualByComparingTo("0.435"); // not Azure's 1.74
    assertThat(input(synced, "gpt-4o-mini")).isEqualByComparingTo("0.15"); // not Azure's 0.165
    assertThat(input(synced, "xai/grok-4")).isEqualByComparingTo("3"); // not Replicate's 7.2
    assertThat(input(synced, "grok-4")).isEqualByComparingTo("3");
    assertThat(synced.resolve("only-on-azure")).isEmpty(); // a reseller's alone prices nothing else

    // Sent to each provider: its own entry.
    assertThat(input(synced.forUpstream("deepseek"), "deepseek-v4-pro"))
        .isEqualByComparingTo("0.435");
    assertThat(input(synced.forUpstream("azure_ai"), "deepseek-v4-pro"))
        .isEqualByComparingTo("1.74");
    assertThat(input(synced.forUpstream("azure"), "gpt-4o-mini")).isEqualByComparingTo("0.165");
    assertThat(input(synced.forUpstream("azure"), "only-on-azure")).isEqualByComparingTo("1");
    assertThat(input(synced.forUpstream("replicate"), "xai/grok-4")).isEqualByComparingTo("7.2");
    assertThat(input(synced.forUpstream("openai"), "gpt-4o-mini")).isEqualByComparingTo("0.15");
  }

  @Test
  void placementsNameTheEntryThatPricesEachModel() throws Exception {
    List<SyncedCatalog.Placement> placed = new ArrayList<>();
    Map<String, Map<Instant, JsonNode>> models = new java.util.TreeMap<>();
    for (PriceHistory.Version v : history("litellm", LITELLM, SEEN)) {
      models.put(v.model(), Map.of(v.from(), v.entry()));
    }
    placed.addAll(SyncedCatalog.placements("src", models));
    assertThat(placed)
        .contains(
            new SyncedCatalog.Placement(
                "src", "deepseek-v4-pro", "deepseek/deepseek-v4-pro", "deepseek", null),
            new SyncedCatalog.Placement(
                "src", "deepseek-v4-pro", "azure_ai/deepseek-v4-pro", "azure_ai", "azure_ai"),
            new SyncedCatalog.Placement("src", "gpt-4o-mini", "gpt-4o-mini", "openai", null),
            new SyncedCatalog.Placement(
                "src", "xai/grok-4", "replicate/xai/grok-4", "replicate", "replicate"))
        .noneMatch(p -> p.onlyFor() == null && p.provider().equals("azure_ai"));
  }

  @Test
  void aResellersEntryAnOlderTollgateStoredBareGivesWayToTheProvidersKeyedOnes() throws Exception {
    List<PriceHistory.Version> history = new ArrayList<>();
    // Recorded by a Tollgate that stripped "azure_ai/": Azure's price under the bare name.
    history.add(
        new PriceHistory.Version(
            "src",
            "deepseek-v4-pro",
            SEEN.minusSeconds(30 * 86_400),
            JSON.readTree(
                "{\"provider\":\"azure_ai\",\"kind\":\"chat\",\"version\":{\"input\":1.74,"
                    + "\"output\":3.48}}")));
    history.addAll(history("litellm", LITELLM, SEEN));
    PriceCatalog synced = SyncedCatalog.from(history, List.of("src"));
    assertThat(input(synced, "deepseek-v4-pro")).isEqualByComparingTo("0.435");
  }

  @Test
  void inModelsDevTheMakersEntryIsTheModelsOwnWhicheverProviderSortsFirst() throws Exception {
    String modelsDev =
        "{\"302ai\":{\"models\":{\"deepseek-v4-pro\":{\"cost\":{\"input\":2,\"output\":4}},"
            + "\"gemini-9-pro\":{\"cost\":{\"input\":5,\"output\":5}}}},"
            + "\"deepseek\":{\"models\":{\"deepseek-v4-pro\":{\"cost\":{\"input\":0.435,"
            + "\"output\":0.87}}}},"
            + "\"google\":{\"models\":{\"gemini-9-pro\":{\"cost\":{\"input\":1.25,\"output\":10}}}}}";
    PriceCatalog synced =
        SyncedCatalog.from(history("models_dev", modelsDev, SEEN), List.of("src"));
    assertThat(input(synced, "deepseek-v4-pro")).isEqualByComparingTo("0.435");
    assertThat(input(synced, "gemini-9-pro")).isEqualByComparingTo("1.25"); // google = gemini
    assertThat(input(synced.forUpstream("gemini"), "gemini-9-pro")).isEqualByComparingTo("1.25");
    assertThat(input(synced.forUpstream("302ai"), "deepseek-v4-pro")).isEqualByComparingTo("2");
  }
}
