package dev.tollgate.cli;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.tollgate.call.Call;
import dev.tollgate.call.Money;
import dev.tollgate.call.ServiceTier;
import dev.tollgate.call.Usage;
import dev.tollgate.config.ConfigException;
import dev.tollgate.pricing.CatalogLoader;
import dev.tollgate.pricing.LitellmImport;
import dev.tollgate.pricing.ModelPrice;
import dev.tollgate.pricing.PriceCatalog;
import dev.tollgate.pricing.Pricer;
import dev.tollgate.pricing.Rates;
import dev.tollgate.pricing.ToolQuota;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code tollgate prices check | import-litellm | diff | sources}: look after the prices. */
@Command(
    name = "prices",
    mixinStandardHelpOptions = true,
    description = "Check or import the price catalog.",
    subcommands = {
      PricesCommand.Check.class,
      PricesCommand.ImportLitellm.class,
      PricesDiffCommand.class,
      PricesSourcesCommand.class
    })
final class PricesCommand {
  static final int INVALID = 2;

  /** A sample call, to show what each model's current price means in practice. */
  static final Usage SAMPLE = new Usage(10_000, 2_000, 0, 1_000, 500, 0, 0);

  @Command(
      name = "check",
      mixinStandardHelpOptions = true,
      description =
          "Validate a catalog and print what a sample call (10k input of which 2k cached, "
              + "1k output of which 500 reasoning) costs on each model today; then list the "
              + "models called recently that are unpriced or unconfirmed (exit 1 when any).")
  static final class Check implements Callable<Integer> {
    static final Path DEFAULT_OVERRIDES = Path.of("config", "prices.yaml");

    @Spec CommandSpec spec;

    @Mixin ConfigOption configOption;

    @Option(
        names = "--days",
        paramLabel = "N",
        defaultValue = "30",
        description = "How far back to look for calls without a confirmed price (default: 30).")
    int days;

    @Option(
        names = {"-f", "--file"},
        paramLabel = "FILE",
        description =
            "Local overrides to check on top of the built-in catalog (default: config/prices.yaml"
                + " if it exists; a file named here must exist).")
    Path file;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PriceCatalog catalog;
      try {
        if (file == null && Files.exists(DEFAULT_OVERRIDES)) {
          file = DEFAULT_OVERRIDES;
        }
        PriceCatalog bundled = CatalogLoader.bundled();
        catalog = file == null ? bundled : CatalogLoader.withOverrides(bundled, file);
      } catch (ConfigException e) {
        return OneLine.fail(spec, e.getMessage(), INVALID);
      }
      Pricer pricer = new Pricer(new ToolQuota());
      Instant now = Instant.now();
      out.printf(
          "%-28s %-30s %10s %10s %10s %12s%n",
          "model", "price version (today)", "input/1M", "cached/1M", "output/1M", "sample call");
      for (Map.Entry<String, ModelPrice> e : new TreeMap<>(catalog.models()).entrySet()) {
        Call.Charge p =
            pricer.price(catalog, e.getKey(), ServiceTier.DEFAULT, SAMPLE, Map.of(), now);
        Rates r = e.getValue().versionAt(now).rates();
        out.printf(
            "%-28s %-30s %10s %10s %10s %12s%n",
            e.getKey(),
            p.priceVersion(),
            Money.format(r.input()),
            Money.format(r.cachedInput()),
            Money.format(r.output()),
            "$" + Money.format(p.cost().total()));
      }
      out.printf(
          "%d models, %d aliases: the built-in catalog%s is valid%n",
          catalog.models().size(),
          catalog.aliases().size(),
          file == null ? "" : " with the overrides in " + file);
      if (days < 1 || days > 3660) {
        return OneLine.fail(spec, "--days: between 1 and 3660, got " + days, INVALID);
      }
      try {
        int missing = ModelsToPrice.report(configOption.load(), days, out);
        out.flush();
        return missing == 0 ? 0 : 1;
      } catch (ConfigException e) {
        return OneLine.fail(spec, e.getMessage(), INVALID);
      } catch (java.sql.SQLException e) {
        return OneLine.fail(spec, "cannot read the ledger: " + e.getMessage(), 1);
      }
    }
  }

  @Command(
      name = "import-litellm",
      mixinStandardHelpOptions = true,
      description =
          "Convert LiteLLM's model_prices_and_context_window.json into Tollgate's catalog YAML.")
  static final class ImportLitellm implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "LiteLLM's model_prices_and_context_window.json")
    Path input;

    @Option(
        names = {"-o", "--out"},
        paramLabel = "FILE",
        description = "Write here instead of standard output.")
    Path out;

    @Option(
        names = "--provider",
        split = ",",
        paramLabel = "NAME",
        description = "Keep only these LiteLLM providers (e.g. openai,anthropic). Default: all.")
    List<String> providers = List.of();

    @Option(
        names = "--from",
        paramLabel = "YYYY-MM-DD",
        description = "Effective date of the imported prices (default: today, UTC).")
    LocalDate from = LocalDate.now(ZoneOffset.UTC);

    @Option(
        names = "--only-missing",
        description =
            "Leave out the models the built-in catalog already prices, so the curated prices"
                + " (tiers, eras, aliases) stay in force and the import only fills the gaps.")
    boolean onlyMissing;

    @Override
    public Integer call() throws IOException {
      JsonNode litellm;
      try {
        litellm =
            new ObjectMapper()
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .readTree(input.toFile());
      } catch (IOException e) {
        return OneLine.fail(spec, "cannot read " + input + ": " + e.getMessage(), INVALID);
      }
      PriceCatalog bundled = CatalogLoader.bundled();
      LitellmImport.Imported imported =
          LitellmImport.convert(
              litellm,
              new HashSet<>(providers),
              from,
              name -> onlyMissing && bundled.resolve(name).isPresent());
      ObjectNode catalog = imported.catalog();
      ObjectMapper yaml =
          new ObjectMapper(
                  new YAMLFactory()
                      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES))
              .enable(JsonGenerator.Feature.WRITE_BIGDECIMAL_AS_PLAIN);
      String text =
          "# Imported from LiteLLM's price map by `tollgate prices import-litellm` on "
              + from
              + ".\n# A third-party table: check each price against the provider before relying on it."
              + "\n# Use it as usage.catalog: it is laid over the built-in catalog, whose aliases"
              + " still resolve.\n"
              + yaml.writeValueAsString(catalog);
      CatalogLoader.parse(text); // never write a catalog Tollgate itself would refuse
      reportSkipped(imported);
      if (out == null) {
        spec.commandLine().getOut().print(text);
        spec.commandLine().getOut().flush();
      } else {
        Files.writeString(out, text);
        spec.commandLine()
            .getErr()
            .println("Wrote " + catalog.get("models").size() + " models to " + out);
        spec.commandLine().getErr().flush();
      }
      return 0;
    }

    /** On stderr, so the catalog on stdout stays a clean YAML file. */
    private void reportSkipped(LitellmImport.Imported imported) {
      PrintWriter err = spec.commandLine().getErr();
      err.printf(
          "Imported %d models; skipped %d entries%s.%n",
          imported.catalog().get("models").size(),
          imported.skippedCount(),
          imported.outsideProviders() > 0
              ? " (and " + imported.outsideProviders() + " of other providers)"
              : "");
      imported
          .skipped()
          .forEach(
              (why, names) ->
                  err.printf(
                      "  %d skipped, %s: %s%s%n",
                      names.size(),
                      why,
                      String.join(", ", names.subList(0, Math.min(5, names.size()))),
                      names.size() > 5 ? ", ..." : ""));
      err.flush();
    }
  }
}
