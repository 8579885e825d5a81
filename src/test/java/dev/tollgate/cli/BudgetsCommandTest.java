package dev.tollgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BudgetsCommandTest {
  @TempDir Path dir;

  @Test
  void setListAndRemoveBudgetsInTheLedgerWhileTheFileStaysTheFilesOwn() throws Exception {
    Path config = dir.resolve("tollgate.yaml");
    Files.writeString(config, "data_dir: data\n");
    Files.writeString(
        dir.resolve("budgets.yaml"),
        "- {name: from-file, scope: 'team:ads', limit_usd: 5, period: day}\n");

    Cli set = new Cli();
    assertThat(
            set.run(
                "budgets",
                "set",
                "search-month",
                "--scope",
                "team:search",
                "--limit-usd",
                "250",
                "--config",
                config.toString()))
        .as(set.err.toString())
        .isZero();

    Cli list = new Cli();
    assertThat(list.run("budgets", "list", "--config", config.toString())).isZero();
    assertThat(list.out.toString())
        .containsPattern("(?m)^from-file +team:ads +day +hard +file +\\$5 +\\$0 +\\$0 +\\$5 +\\$0 ")
        .containsPattern(
            "(?m)^search-month +team:search +month +hard +api +\\$250 +\\$0 +\\$0 +\\$250 +\\$0 ");

    Cli clash = new Cli();
    assertThat(
            clash.run(
                "budgets",
                "set",
                "from-file",
                "--scope",
                "team:ads",
                "--limit-usd",
                "9",
                "--config",
                config.toString()))
        .isEqualTo(2);
    assertThat(clash.err.toString()).contains("is defined in").contains("budgets.yaml");

    Cli bad = new Cli();
    assertThat(
            bad.run(
                "budgets",
                "set",
                "x",
                "--scope",
                "squad:a",
                "--limit-usd",
                "1",
                "--config",
                config.toString()))
        .isEqualTo(2);
    assertThat(bad.err.toString()).startsWith("tollgate: ").contains("scope kind must be");

    assertThat(new Cli().run("budgets", "rm", "search-month", "--config", config.toString()))
        .isZero();
    Cli gone = new Cli();
    assertThat(gone.run("budgets", "rm", "search-month", "--config", config.toString()))
        .isEqualTo(2);
    assertThat(gone.err.toString()).contains("no budget named 'search-month'");
  }
}
