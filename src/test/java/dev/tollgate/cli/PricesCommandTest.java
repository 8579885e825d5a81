package dev.tollgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.call.PricingStatus;
import dev.tollgate.call.Reason;
import dev.tollgate.call.ServiceTier;
import dev.tollgate.call.Usage;
import dev.tollgate.config.ConfigLoader;
import dev.tollgate.config.TollgateConfig;
import dev.tollgate.ledger.Database;
import dev.tollgate.ledger.LedgerWriter;
import dev.tollgate.pricing.CatalogLoader;
import dev.tollgate.pricing.PriceCatalog;
import dev.tollgate.pricing.Pricer;
import dev.tollgate.pricing.ToolQuota;
import dev.tollgate.reprice.RepricerTest;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PricesCommandTest {
  @TempDir Path dir;
  final Cli cli = new Cli();

  @Test
  void checkValidatesTheShippedCatalogAndShowsASampleCallPerModel() throws Exception {
    Path config = dir.resolve("tollgate.yaml");
    Files.writeString(config, "data_dir: state\n");
    // The built-in catalog + config/prices.yaml; no ledger yet, so no calls to hold against it.
    assertThat(cli.run("prices", "check", "--config", config.toString())).isZero();
    // o3 today: 8000 x $2 + 2000 x $0.50 + 1000 x $8 = $0.025
    assertThat(cli.out.toString()).containsPattern("(?m)^o3 +o3@2025-06-10 +2 +0.5 +8 +\\$0.025$");
    assertThat(cli.out.toString()).contains("is valid").contains("No ledger at");
  }

  @Test
  void checkListsTheModelsCalledLatelyWithoutAConfirmedPriceAndFailsUntilThereAreNone()
      throws Exception {
    Path config = dir.resolve("tollgate.yaml");
    Files.writeString(config, "data_dir: state\n");
    TollgateConfig c = new ConfigLoader(Map.of()).load(config);
    try (Database db = Database.open(c.ledger(), c.dataDir());
        LedgerWriter writer = new LedgerWriter(db, c.ledger())) {
      for (int i = 0; i < 2; i++) {
        writer.offer(
            RepricerTest.call(
                i,
                "gpt-late",
                PricingStatus.UNPRICED,
                BigDecimal.ZERO,
                Reason.of(Reason.Kind.NO_PRICE, "gpt-late")));
      }
      writer.offer(
          RepricerTest.call(
              2,
              "gpt-6.2-sol",
              PricingStatus.ESTIMATED,
              new BigDecimal("0.006"),
              Reason.of(Reason.Kind.PRICE_UNCONFIRMED)));
      writer.offer(RepricerTest.call(3, "gpt-4o-mini", PricingStatus.PRICED, BigDecimal.ONE));
      Awaitility.await().until(() -> writer.written() == 4);
    }
    // The calls are dated 2026-11-30 (RepricerTest's day): look back far enough for any run date.
    assertThat(cli.run("prices", "check", "--config", config.toString(), "--days", "3650"))
        .isEqualTo(1);
    String out = cli.out.toString();
    assertThat(out).contains("without a confirmed price");
    assertThat(out.substring(out.indexOf("without a confirmed price")))
        .containsPattern("gpt-late +unpriced +2 +2000 +1000 ")
        .containsPattern("gpt-6.2-sol +unconfirmed +1 +1000 +500 ")
        .doesNotContain("gpt-4o-mini")
        .contains("2 models:");
    assertThat(cli.run("prices", "check", "--config", config.toString(), "--days", "0"))
        .isEqualTo(2);
  }

  @Test
  void checkRefusesABrokenCatalogWithOneLineAndCode2() throws Exception {
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, "models: {m: {versions: [{from: 2025-01-01, inptu: 1}]}}\n");
    assertThat(cli.run("prices", "check", "--file", bad.toString())).isEqualTo(2);
    assertThat(cli.err.toString()).isEqualTo("tollgate: models.m.versions[0].input: is required\n");
  }

  @Test
  void litellmPricesImportIntoACatalogThatPricesTheSame() throws Exception {
    Path out = dir.resolve("imported.yaml");
    Path in = Path.of("src/test/resources/fixtures/litellm-prices.json");
    assertThat(
            cli.run(
                "prices",
                "import-litellm",
                in.toString(),
                "--out",
                out.toString(),
                "--from",
                "2025-01-01"))
        .isZero();

    PriceCatalog catalog = CatalogLoader.load(out);
    assertThat(catalog.models().keySet())
        .containsExactlyInAnyOrder(
            "gpt-4o", "gemini-2.5-pro", "claude-sonnet-4-20250514", "text-embedding-3-small");
    Pricer pricer = new Pricer(new ToolQuota());
    Instant at = Instant.parse("2026-01-01T00:00:00Z");
    Usage usage = new Usage(1_000_000, 500_000, 0, 1_000_000, 0, 0, 0);
    // gpt-4o: 500k x 2.5 + 500k x 1.25 + 1M x 10 = 11.875; priority: 500k x 4.25 + 500k x 2.125 +
    // 1M x 17
    assertThat(
            pricer
                .price(catalog, "gpt-4o", ServiceTier.of(null), usage, Map.of(), at)
                .cost()
                .total())
        .isEqualByComparingTo("11.875");
    assertThat(
            pricer
                .price(catalog, "gpt-4o", ServiceTier.of("priority"), usage, Map.of(), at)
                .cost()
                .total())
        .isEqualByComparingTo("20.1875");
    // Gemini above 200k: input-side x2, output-side x1.5
    assertThat(
            pricer
                .price(
                    catalog,
                    "gemini/gemini-2.5-pro",
                    ServiceTier.of(null),
                    Usage.of(300_000, 1_000_000),
                    Map.of(),
                    at)
                .priceVersion())
        .endsWith("/long");
    assertThat(
            pricer
                .price(
                    catalog,
                    "gemini-2.5-pro",
                    ServiceTier.of(null),
                    Usage.of(300_000, 1_000_000),
                    Map.of(),
                    at)
                .cost()
                .total())
        .isEqualByComparingTo("15.75"); // 300k x 2.50 + 1M x 15
    assertThat(Files.readString(out))
        .contains("input: 2.5")
        .doesNotContain("E-")
        .startsWith("# Imported from LiteLLM");
  }

  @Test
  void importSaysWhatItSkippedAndWhy() {
    assertThat(
            cli.run("prices", "import-litellm", "src/test/resources/fixtures/litellm-prices.json"))
        .isZero();
    assertThat(cli.err.toString())
        .contains("Imported 4 models; skipped 3 entries.")
        .containsPattern("1 skipped, mode image_generation: priced per image or pixel.*: dall-e-3")
        .containsPattern("1 skipped, mode audio_speech: priced per character.*: tts-1")
        .contains("1 skipped, another provider's entry for the same model: azure/gpt-4o");
    assertThat(cli.out.toString()).doesNotContain("skipped"); // stdout stays a clean catalog
  }

  @Test
  void anImportLaidOverTheBuiltInCatalogKeepsItsAliases() throws Exception {
    Path out = dir.resolve("imported.yaml");
    assertThat(
            cli.run(
                "prices",
                "import-litellm",
                "src/test/resources/fixtures/litellm-prices.json",
                "--out",
                out.toString()))
        .isZero();
    PriceCatalog bundled = CatalogLoader.bundled();
    PriceCatalog layered = bundled.overlay(CatalogLoader.load(out));
    // gpt-5-codex is an alias in the built-in catalog, not a model in LiteLLM's fixture.
    assertThat(bundled.resolve("gpt-5-codex")).isPresent();
    assertThat(layered.resolve("gpt-5-codex")).isPresent();
    assertThat(layered.resolve("gpt-4o").orElseThrow())
        .isEqualTo(CatalogLoader.load(out).resolve("gpt-4o").orElseThrow());
  }

  @Test
  void onlyMissingLeavesTheCuratedModelsInForce() {
    assertThat(
            cli.run(
                "prices",
                "import-litellm",
                "src/test/resources/fixtures/litellm-prices.json",
                "--only-missing"))
        .isZero();
    assertThat(cli.out.toString()).doesNotContain("gpt-4o:");
    assertThat(cli.err.toString())
        .containsPattern("already priced by the built-in catalog \\(--only-missing\\): .*gpt-4o");
  }

  @Test
  void importCanKeepOnlySomeProviders() {
    assertThat(
            cli.run(
                "prices",
                "import-litellm",
                "src/test/resources/fixtures/litellm-prices.json",
                "--provider",
                "anthropic"))
        .isZero();
    assertThat(cli.out.toString()).contains("claude-sonnet-4-20250514").doesNotContain("gpt-4o");
  }
}
