package dev.tollgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tollgate db info} changes nothing and lists what is pending; {@code db migrate} applies
 * it.
 */
class DbCommandTest {
  @TempDir Path dir;

  @Test
  void infoListsAndMigrateApplies() throws Exception {
    Path config = dir.resolve("tollgate.yaml");
    Files.writeString(config, "data_dir: '" + dir.resolve("data") + "'\n");
    Cli info = new Cli();
    assertThat(info.run("db", "info", "--config", config.toString()))
        .as(info.err.toString())
        .isZero();
    assertThat(info.out.toString())
        .contains("21 migration(s) pending")
        .contains("rollups")
        .contains("tool calls and price versions in the rollups");

    Cli migrate = new Cli();
    assertThat(migrate.run("db", "migrate", "--config", config.toString()))
        .as(migrate.err.toString())
        .isZero();
    assertThat(migrate.out.toString()).contains("schema up to date").contains("Success");

    Cli again = new Cli();
    assertThat(again.run("db", "info", "--config", config.toString())).isZero();
    assertThat(again.out.toString()).contains("schema up to date").doesNotContain("Pending");
  }
}
