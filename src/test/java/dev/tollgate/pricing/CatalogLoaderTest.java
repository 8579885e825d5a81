package dev.tollgate.pricing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.config.ConfigException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CatalogLoaderTest {
  @Test
  void localOverridesReplaceABuiltInModelWholeAndAddNewNames() {
    PriceCatalog local =
        CatalogLoader.parse(
            """
            models:
              gpt-4o-mini:
                versions:
                  - {from: 2026-12-01, input: 0.12, output: 0.48}   # a negotiated rate
              our-llama:
                versions:
                  - {from: 2026-01-01, input: 0.05, output: 0.05}
            aliases: {llama-prod: our-llama}
            """);
    PriceCatalog merged = CatalogLoader.bundled().overlay(local);
    ModelPrice mini = merged.resolve("gpt-4o-mini-2024-07-18").orElseThrow();
    assertThat(mini.versions()).hasSize(1); // the override's history, not a mix of both
    assertThat(mini.versions().get(0).rates().input()).isEqualByComparingTo("0.12");
    assertThat(merged.resolve("llama-prod")).map(ModelPrice::name).contains("our-llama");
    assertThat(merged.resolve("gpt-5.4-mini")).isPresent(); // built-ins stay
    assertThat(merged.aliases()).containsAllEntriesOf(CatalogLoader.bundled().aliases());
  }

  @Test
  void everyCurrentFamilyIsInTheBuiltInCatalog() {
    PriceCatalog c = CatalogLoader.bundled();
    for (String m :
        List.of(
            "gpt-5.1",
            "gpt-5.1-codex",
            "gpt-5.2",
            "gpt-5.3-codex",
            "gpt-5.2-pro",
            "gpt-5.4-mini",
            "gpt-5.4-nano",
            "gpt-5.4-pro",
            "gpt-5.5-pro",
            "gpt-5.6-sol",
            "gpt-5.6-terra",
            "gpt-5.6-luna",
            "gpt-6.1-sol",
            "gpt-6-sol",
            "gpt-6-luna",
            "gpt-6-astra")) {
      assertThat(c.resolve(m)).as(m).isPresent();
    }
    assertThat(c.resolve("text-embedding-3-small").orElseThrow().kind())
        .isEqualTo(ModelPrice.EMBEDDING);
    assertThat(c.resolve("gpt-5.4").orElseThrow().kind()).isEqualTo(ModelPrice.CHAT);
  }

  @Test
  void theShippedCatalogCoversTheModelsTheIssueNames() {
    PriceCatalog c = CatalogLoader.bundled();
    for (String m :
        List.of(
            "gpt-4o",
            "gpt-4o-mini",
            "gpt-4.1",
            "gpt-4.1-mini",
            "gpt-4.1-nano",
            "o1",
            "o1-mini",
            "o1-pro",
            "o3",
            "o3-mini",
            "o3-pro",
            "o4-mini",
            "gpt-5",
            "gpt-5-mini",
            "gpt-5-nano",
            "text-embedding-3-small",
            "text-embedding-3-large",
            "claude-opus-4",
            "claude-sonnet-4",
            "claude-haiku-4-5",
            "gemini-2.5-pro",
            "gemini-2.5-flash",
            "deepseek-chat",
            "deepseek-reasoner")) {
      assertThat(c.resolve(m)).as(m).isPresent();
    }
    assertThat(c.models().get("o3").versions()).hasSize(2);
  }

  @Test
  void pricesAreReadAsTheExactDigitsWritten() {
    PriceCatalog c =
        CatalogLoader.parse(
            "models: {m: {versions: [{from: 2025-01-01, input: 0.1375, output: 0.1}]}}");
    Rates r = c.models().get("m").versions().get(0).rates();
    assertThat(r.input().toPlainString()).isEqualTo("0.1375");
    assertThat(r.cachedInput().toPlainString()).isEqualTo("0.1375");
    assertThat(r.cacheWrite5m()).isEqualByComparingTo("0.171875");
    assertThat(r.reasoning().toPlainString()).isEqualTo("0.1");
  }

  @ParameterizedTest(name = "{1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "models: {m: {versions: [{from: 2025-01-01, inptu: 1}]}}                        | models.m.versions[0].input: is required",
        "models: {m: {versions: [{from: 2025-01-01, input: 1, outptu: 1}]}}             | models.m.versions[0].outptu: unknown key",
        "models: {m: {versions: [{from: 2025-01-01, input: -1}]}}                       | models.m.versions[0].input: must not be negative",
        "models: {m: {versions: [{from: 2025-13-01, input: 1}]}}                        | models.m.versions[0].from: expected a date",
        "models: {m: {versions: [{input: 1}]}}                                          | models.m.versions[0].from: is required",
        "models: {m: {versions: []}}                                                    | models.m.versions: needs at least one",
        "models: {m: {versions: [{from: 2025-01-01, input: 1}, {from: 2025-01-01, input: 2}]}} | models.m.versions[1].from: two versions of m",
        "models: {m: {versions: [{from: 2025-01-01, input: 1, windows: [{start: '25:00', end: '01:00', multiplier: 1}]}]}} | models.m.versions[0].windows[0].start: expected a quoted UTC time",
        "models: {m: {versions: [{from: 2025-01-01, input: 1, long_context: {threshold: 0}}]}} | models.m.versions[0].long_context.threshold: must be a positive",
        "models: {m: {versions: [{from: 2025-01-01, input: x}]}}                        | models.m.versions[0].input: expected a decimal",
        "aliases: {a: nope}                                                             | aliases.a: names unknown model 'nope'",
        "modles: {}                                                                     | modles: unknown key",
      })
  void aBadCatalogIsRefusedWithItsPath(String yaml, String message) {
    assertThatThrownBy(() -> CatalogLoader.parse(yaml))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(message);
  }
}
