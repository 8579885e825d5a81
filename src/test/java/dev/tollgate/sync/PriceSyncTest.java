package dev.tollgate.sync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.tollgate.config.ConfigLoader;
import dev.tollgate.config.PriceSourceConfig;
import dev.tollgate.config.TollgateConfig;
import dev.tollgate.ledger.Database;
import dev.tollgate.ledger.PriceHistory;
import dev.tollgate.pricing.PriceCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A refresh that brings nothing new keeps the catalog it has: a new catalog makes the holder
 * re-compose its layers and automatic repricing scan the ledger, which an unchanged source must not
 * cause.
 */
class PriceSyncTest {
  @TempDir Path dir;

  private static String litellm(String inputPerToken) {
    return "{\"synced-model\":{\"litellm_provider\":\"openai\",\"mode\":\"chat\","
        + "\"input_cost_per_token\":"
        + inputPerToken
        + ",\"output_cost_per_token\":2e-06}}";
  }

  @Test
  void anUnchangedSourceKeepsTheCatalogAndANewPriceReplacesIt() throws Exception {
    Path map = dir.resolve("prices.json");
    Files.writeString(map, litellm("1e-06"));
    Path config = dir.resolve("tollgate.yaml");
    Files.writeString(
        config,
        "data_dir: state\npricing: {reprice: off, sync: on, sources: [{name: local,"
            + " format: litellm, refresh: 1h, location: prices.json}]}\n");
    TollgateConfig c = new ConfigLoader(Map.of()).load(config);
    PriceSourceConfig source = c.pricing().sources().get(0);
    try (Database db = Database.open(c.ledger(), c.dataDir());
        PriceSync sync =
            new PriceSync(
                c.pricing(),
                new PriceHistory(db),
                new dev.tollgate.ledger.PriceSources(db),
                c.dataDir(),
                Clock.systemUTC())) {
      await()
          .atMost(Duration.ofSeconds(10))
          .until(() -> sync.catalog().resolve("synced-model").isPresent());
      PriceCatalog first = sync.catalog();

      sync.sync(source, false); // read again, same prices
      assertThat(sync.catalog()).isSameAs(first);

      Files.writeString(map, litellm("3e-06"));
      sync.sync(source, false);
      assertThat(sync.catalog()).isNotSameAs(first);
      assertThat(sync.catalog().resolve("synced-model")).isPresent();
      assertThat(sync.catalog().resolve("synced-model").get())
          .isNotEqualTo(first.resolve("synced-model").get());
    }
  }
}
