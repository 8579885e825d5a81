package dev.tollgate.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.pricing.CatalogLoader;
import dev.tollgate.pricing.ModelPrice;
import dev.tollgate.pricing.PriceCatalog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every source format read into per-model entries; hostile entries are skipped one by one. */
class SourceFormatsTest {
  @TempDir Path dir;

  private SourceFormats.Parsed parse(String format, String body) throws IOException {
    Path file = dir.resolve("source-" + System.nanoTime());
    Files.writeString(file, body, StandardCharsets.UTF_8);
    return SourceFormats.read(format, file);
  }

  private Map<String, JsonNode> read(String format, String body) throws IOException {
    return parse(format, body).entries();
  }

  private static ModelPrice priced(Map<String, JsonNode> entries, String model) {
    PriceCatalog c =
        CatalogLoader.parse(
            SourceFormats.catalogTree(
                Map.of(model, Map.of(Instant.parse("2026-12-01T00:00:00Z"), entries.get(model)))),
            "src");
    return c.resolve(model).orElseThrow();
  }

  @Test
  void modelsDevCostsArePerMillionAndEachProvidersEntryIsKeptAsItsOwn() throws Exception {
    Map<String, JsonNode> e =
        read(
            "models_dev",
            "{\"openai\":{\"id\":\"openai\",\"models\":{\"gpt-x\":{\"id\":\"gpt-x\",\"cost\":{\"input\":1.25,"
                + "\"output\":10,\"cache_read\":0.125,\"cache_write\":1.5625}}}},"
                + "\"router\":{\"models\":{\"gpt-x\":{\"cost\":{\"input\":9,\"output\":9}},"
                + "\"no-cost\":{\"name\":\"free?\"},\"bad\":{\"cost\":{\"input\":\"one\",\"output\":1}}}}}");
    // Each provider's entry is kept as that provider's (SyncedCatalog makes the maker's the
    // model's own); the router's bad and cost-less entries are not.
    assertThat(e).containsOnlyKeys("openai/gpt-x", "router/gpt-x");
    assertThat(e.get("router/gpt-x").get(SourceFormats.FOR_PROVIDER).asText()).isEqualTo("router");
    ModelPrice m = priced(e, "openai/gpt-x");
    assertThat(m.provider()).isEqualTo("openai");
    assertThat(m.source()).isEqualTo("src");
    var rates = m.versions().get(0).rates();
    assertThat(rates.input()).isEqualByComparingTo("1.25");
    assertThat(rates.cachedInput()).isEqualByComparingTo("0.125");
    assertThat(rates.cacheWrite5m()).isEqualByComparingTo("1.5625");
    assertThat(rates.output()).isEqualByComparingTo("10");
  }

  @Test
  void liteLlmRatesPerTokenBecomePerMillionAndHostileEntriesAreSkippedAlone() throws Exception {
    Map<String, JsonNode> e =
        read(
            "litellm",
            "{\"ok\":{\"litellm_provider\":\"openai\",\"input_cost_per_token\":2.5e-06,"
                + "\"output_cost_per_token\":1e-05,\"cache_read_input_token_cost\":2.5e-07},"
                + "\"emb\":{\"litellm_provider\":\"openai\",\"mode\":\"embedding\",\"input_cost_per_token\":2e-08},"
                + "\"negative\":{\"input_cost_per_token\":-1e-06,\"output_cost_per_token\":1e-06},"
                + "\"image\":{\"mode\":\"image_generation\",\"input_cost_per_token\":1e-06}}");
    assertThat(e).containsOnlyKeys("ok", "emb");
    assertThat(priced(e, "ok").versions().get(0).rates().input()).isEqualByComparingTo("2.5");
    assertThat(priced(e, "emb").kind()).isEqualTo(ModelPrice.EMBEDDING);
  }

  @Test
  void aTollgateCatalogSourceGivesEachModelsLatestVersion() throws Exception {
    Map<String, JsonNode> e =
        read(
            "tollgate",
            "models:\n  m:\n    provider: acme\n    versions:\n"
                + "      - {from: 2025-01-01, input: 5, output: 5}\n"
                + "      - {from: 2026-01-01, input: 1, output: 2}\n");
    assertThat(priced(e, "m").versions().get(0).rates().input()).isEqualByComparingTo("1");
  }

  @Test
  void somethingThatIsNotThePromisedFormatAtAllIsAnError() {
    assertThatThrownBy(() -> read("litellm", "<html>rate limited</html>"))
        .isInstanceOf(IOException.class);
    assertThatThrownBy(() -> read("tollgate", "just: text")).isInstanceOf(IOException.class);
  }

  @Test
  void aRateWrittenAsANumericStringIsThatRate() throws Exception {
    Map<String, JsonNode> e =
        read(
            "litellm",
            "{\"m\":{\"litellm_provider\":\"openai\",\"input_cost_per_token\":\"0.000004\","
                + "\"output_cost_per_token\":\" 1.6e-05 \"}}");
    var rates = priced(e, "m").versions().get(0).rates();
    assertThat(rates.input()).isEqualByComparingTo("4");
    assertThat(rates.output()).isEqualByComparingTo("16");
  }

  @Test
  void everyUnusableRateSkipsItsModelAloneAndNamesIt() throws Exception {
    String ok = "\"litellm_provider\":\"openai\",\"input_cost_per_token\":1e-06";
    SourceFormats.Parsed p =
        parse(
            "litellm",
            "{\"good\":{"
                + ok
                + ",\"output_cost_per_token\":2e-06},"
                + "\"nan\":{"
                + ok
                + ",\"output_cost_per_token\":NaN},"
                + "\"negative\":{"
                + ok
                + ",\"output_cost_per_token\":-2e-06},"
                + "\"word\":{"
                + ok
                + ",\"output_cost_per_token\":\"cheap\"},"
                + "\"huge\":{"
                + ok
                + ",\"output_cost_per_token\":1e1001},"
                + "\"tiny\":{"
                + ok
                + ",\"output_cost_per_token\":1e-30000000},"
                + "\"vast\":{"
                + ok
                + ",\"output_cost_per_token\":1e30000000},"
                + "\"object\":{"
                + ok
                + ",\"output_cost_per_token\":{\"a\":1}},"
                + "\"cache\":{"
                + ok
                + ",\"output_cost_per_token\":1e-06,\"cache_read_input_token_cost\":\"n/a\"},"
                + "\"good2\":{"
                + ok
                + ",\"output_cost_per_token\":3e-06}}");
    assertThat(p.entries()).containsOnlyKeys("good", "good2");
    assertThat(p.skipped())
        .containsOnlyKeys("nan", "negative", "word", "huge", "tiny", "vast", "object", "cache");
    assertThat(p.skipped().get("nan")).contains("output_cost_per_token").contains("finite");
    assertThat(p.skipped().get("negative")).contains("negative");
    assertThat(p.skipped().get("word")).contains("'cheap'");
    assertThat(p.skipped().get("huge")).contains("out of range");
    assertThat(p.skipped().get("tiny")).contains("decimal places");
    assertThat(p.skipped().get("cache")).contains("cache_read_input_token_cost");
  }

  @Test
  void aModelsDevModelWithOneBadRateIsSkippedNotPricedInPart() throws Exception {
    SourceFormats.Parsed p =
        parse(
            "models_dev",
            "{\"acme\":{\"models\":{\"a\":{\"cost\":{\"input\":1,\"output\":\"x\"}},"
                + "\"b\":{\"cost\":{\"input\":\"2\",\"output\":4}}}}}");
    assertThat(p.entries()).containsOnlyKeys("acme/b");
    assertThat(p.skipped()).containsOnlyKeys("acme/a");
    assertThat(priced(p.entries(), "acme/b").versions().get(0).rates().input())
        .isEqualByComparingTo("2");
  }
}
