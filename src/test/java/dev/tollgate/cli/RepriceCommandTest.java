package dev.tollgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.call.PricingStatus;
import dev.tollgate.call.Reason;
import dev.tollgate.config.ConfigLoader;
import dev.tollgate.config.TollgateConfig;
import dev.tollgate.ledger.Database;
import dev.tollgate.ledger.LedgerReader;
import dev.tollgate.ledger.LedgerWriter;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code tollgate reprice} on a ledger with the server down. */
class RepriceCommandTest {
  @TempDir Path dir;
  final Cli cli = new Cli();

  @Test
  void repriceCorrectsUnpricedCallsOnceTheOverridesPriceThemAndSaysWhat() throws Exception {
    Path config = dir.resolve("tollgate.yaml");
    Files.writeString(config, "data_dir: state\nusage: {catalog: prices.yaml}\n");
    Files.writeString(dir.resolve("prices.yaml"), "models: {}\n");
    TollgateConfig c = new ConfigLoader(Map.of()).load(config);
    try (Database db = Database.open(c.ledger(), c.dataDir());
        LedgerWriter writer = new LedgerWriter(db, c.ledger())) {
      writer.offer(
          dev.tollgate.reprice.RepricerTest.call(
              1,
              "gpt-late",
              PricingStatus.UNPRICED,
              BigDecimal.ZERO,
              Reason.of(Reason.Kind.NO_PRICE, "gpt-late")));
      Awaitility.await().until(() -> writer.written() == 1);
    }
    String[] args = {
      "reprice", "--config", config.toString(), "--from", "2026-11-30", "--to", "2026-12-01"
    };
    assertThat(cli.run(args)).isZero();
    assertThat(cli.out.toString()).contains("0 of 1 calls repriced");

    Files.writeString(
        dir.resolve("prices.yaml"),
        "models: {gpt-late: {versions: [{from: 2026-11-01, input: 1, output: 2}]}}\n");
    assertThat(cli.run(args[0], args[1], args[2], args[3], args[4], args[5], args[6], "--dry-run"))
        .isZero();
    assertThat(cli.out.toString())
        .contains("1 of 1 calls repriced")
        .contains("(dry run: nothing was changed)");
    assertThat(cli.run(args)).isZero();
    assertThat(cli.out.toString()).containsPattern("gpt-late +1 +0 +0.002");
    try (Database db = Database.open(c.ledger(), c.dataDir())) {
      assertThat(new LedgerReader(db.dataSource()).recent(1).get(0).status())
          .isEqualTo(PricingStatus.PRICED);
    }
    assertThat(
            cli.run(
                "reprice",
                "--config",
                config.toString(),
                "--from",
                "2026-12-01",
                "--to",
                "2026-11-01"))
        .isEqualTo(2);
    assertThat(cli.err.toString()).contains("'to' (2026-11-01) must be after 'from'");
  }
}
