package dev.tollgate.pricing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.config.ConfigException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CatalogLoaderTest {
  @Test
  void theShippedCatalogCoversTheModelsTheIssueNames() {
    PriceCatalog c = CatalogLoader.load(Path.of("config/prices.yaml"));
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
