package dev.tollgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.config.ConfigLoader;
import dev.tollgate.config.TollgateConfig;
import dev.tollgate.ledger.Database;
import dev.tollgate.ledger.PriceHistory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tollgate prices diff} names where a synced source disagrees with the curated catalog. */
class PricesDiffCommandTest {
  @TempDir Path dir;

  @Test
  void diffListsOnlyTheFieldsWhereASourceDisagreesWithTheCuratedCatalog() throws Exception {
    Path config = dir.resolve("tollgate.yaml");
    Files.writeString(config, "data_dir: state\npricing: {sync: off}\n");
    TollgateConfig c = new ConfigLoader(Map.of()).load(config);
    ObjectMapper json = new ObjectMapper();
    try (Database db = Database.open(c.ledger(), c.dataDir())) {
      new PriceHistory(db)
          .record(
              "litellm",
              Instant.parse("2026-11-01T00:00:00Z"),
              Map.of(
                  // gpt-4o-mini agrees on input and cached input, not on output
                  "gpt-4o-mini",
                  json.readTree(
                      "{\"provider\":\"openai\",\"kind\":\"chat\",\"version\":{\"input\":0.15,"
                          + "\"cached_input\":0.075,\"output\":0.66}}"),
                  // a model the curated catalog does not name is not a disagreement
                  "only-synced",
                  json.readTree(
                      "{\"provider\":\"x\",\"kind\":\"chat\",\"version\":{\"input\":1,\"output\":1}}")));
    }
    Cli cli = new Cli();
    assertThat(cli.run("prices", "diff", "--config", config.toString())).isZero();
    assertThat(cli.out.toString())
        .containsPattern("gpt-4o-mini +output +0.6 +0.66 +litellm")
        .doesNotContain("only-synced")
        .contains("1 differences");
  }
}
