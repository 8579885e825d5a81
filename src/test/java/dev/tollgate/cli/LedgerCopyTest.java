package dev.tollgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.call.Call;
import dev.tollgate.call.PricingStatus;
import dev.tollgate.config.ConfigLoader;
import dev.tollgate.config.TollgateConfig;
import dev.tollgate.ledger.Database;
import dev.tollgate.ledger.LedgerWriter;
import dev.tollgate.ledger.Repricings;
import dev.tollgate.ledger.RollupsTest;
import dev.tollgate.ledger.ViewerTokens;
import dev.tollgate.testing.TestLedgers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 30: {@code tollgate ledger copy} moves a SQLite ledger holding every kind of row into an
 * empty PostgreSQL database; {@code report} then prints the same, byte for byte, for every
 * grouping; the counts and sums are checked and printed; a second run (a resumed copy) adds
 * nothing.
 */
class LedgerCopyTest {
  @TempDir Path dir;

  private static final List<String> GROUPINGS =
      List.of(
          "team",
          "team,project",
          "key,model",
          "user",
          "provider,status",
          "tier,day",
          "api",
          "month",
          "tag:env");

  @Test
  void aSqliteLedgerMovesToPostgresAndReportsTheSame() throws Exception {
    Path sqliteDir = dir.resolve("sqlite");
    Files.createDirectories(sqliteDir);
    Path sqliteConfig = dir.resolve("sqlite.yaml");
    Files.writeString(sqliteConfig, "data_dir: '" + sqliteDir + "'\n");
    TollgateConfig c = new ConfigLoader(Map.of()).load(sqliteConfig);
    List<Call> calls = new ArrayList<>();
    for (int i = 0; i < 12_000; i++) { // more than two pages of the copy
      calls.add(RollupsTest.call(i));
    }
    try (Database db = Database.open(c.ledger(), c.dataDir())) {
      try (LedgerWriter w = new LedgerWriter(db, c.ledger())) {
        calls.forEach(w::offer);
        Awaitility.await().until(() -> w.written() == calls.size());
      }
      // A repriced call, a viewer, a synced price and its source, a budget, an alert, a quota.
      Call before =
          calls.stream()
              .filter(x -> x.status() == PricingStatus.UNPRICED)
              .findFirst()
              .orElseThrow();
      Call after = RollupsTest.repriced(before, "late@1", "0.25");
      assertThat(
              new Repricings(db.dataSource()).apply(List.of(new Repricings.Change(before, after))))
          .hasSize(1);
      new ViewerTokens(db.dataSource()).issue("finance", null, Instant.now());
      new dev.tollgate.ledger.KeyRecords(db.dataSource(), java.time.Clock.systemUTC())
          .issue(new dev.tollgate.attribution.KeyFile.NewKey("search", null, null, "ci", null));
      try (Connection conn = db.dataSource().getConnection();
          Statement s = conn.createStatement()) {
        s.execute(
            "INSERT INTO price_history VALUES ('litellm', 'gpt-x', 1764547200000,"
                + " '{\"provider\":\"openai\",\"kind\":\"chat\","
                + "\"version\":{\"input\":1.25,\"output\":10}}')");
        s.execute(
            "INSERT INTO price_sources VALUES ('litellm', 'https://example/prices.json',"
                + " 1764547200000, 'ok', NULL, 1, '{}')");
        s.execute(
            "INSERT INTO budgets VALUES ('search-month', '{\"scope\":\"team:search\","
                + "\"limit_usd\":\"100\",\"period\":\"month\"}', 1764547200000)");
        s.execute(
            "INSERT INTO budget_alerts VALUES ('search-month', 1764547200000, 50,"
                + " 1764550000000, 'r1', 50000000000000, 100000000000000, 1, 1764550001000, NULL)");
        s.execute("INSERT INTO tool_quota VALUES ('2026-11-30', 'gpt-5.4', 'web_search', 7)");
      }
    }

    try (TestLedgers ledgers = new TestLedgers()) {
      String pg = ledgers.config("postgres").url().orElseThrow();
      Path pgConfig = dir.resolve("pg.yaml");
      Files.writeString(
          pgConfig, "data_dir: '" + dir.resolve("pg") + "'\nledger: {url: '" + pg + "'}\n");
      Cli cli = new Cli();
      String sqliteUrl = "jdbc:sqlite:" + sqliteDir.resolve("ledger.db");
      assertThat(cli.run("ledger", "copy", "--from", sqliteUrl, "--to", pg))
          .as(cli.out + "\n" + cli.err)
          .isZero();
      String printed = cli.out.toString();
      assertThat(printed).contains("the two ledgers agree").doesNotContain("DIFFERS");
      assertThat(printed).containsPattern("calls\\s+COUNT\\(\\*\\)\\s+12000\\s+12000 ok");

      for (String groupBy : GROUPINGS) {
        String[] common = {
          "--format", "json", "--from", "2026-11-01", "--to", "2026-12-31", "--group-by", groupBy
        };
        Cli a = new Cli();
        Cli b = new Cli();
        List<String> argsA =
            new ArrayList<>(List.of("report", "--config", sqliteConfig.toString()));
        List<String> argsB = new ArrayList<>(List.of("report", "--config", pgConfig.toString()));
        argsA.addAll(List.of(common));
        argsB.addAll(List.of(common));
        assertThat(a.run(argsA.toArray(String[]::new))).as(a.err.toString()).isZero();
        assertThat(b.run(argsB.toArray(String[]::new))).as(b.err.toString()).isZero();
        assertThat(b.out.toString()).as(groupBy).isEqualTo(a.out.toString());
        assertThat(a.out.toString()).contains("\"requests\"");
      }

      // Run again, as after an interruption: nothing is copied twice.
      Cli again = new Cli();
      assertThat(again.run("ledger", "copy", "--from", sqliteUrl, "--to", pg))
          .as(again.err.toString())
          .isZero();
      assertThat(again.out.toString()).contains("resuming").contains("the two ledgers agree");
    }
  }
}
