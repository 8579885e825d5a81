package dev.tollgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportCommandTest {
  @TempDir Path dir;

  @Test
  void aDataFolderWithNoLedgerIsNamedInsteadOfReportingZero() throws Exception {
    Path config = dir.resolve("t.yaml");
    Files.writeString(config, "data_dir: wrong-folder\n");
    for (String command : new String[] {"report", "reprice"}) {
      Cli cli = new Cli();
      int code =
          command.equals("report")
              ? cli.run("report", "--config", config.toString())
              : cli.run(
                  "reprice",
                  "--config",
                  config.toString(),
                  "--from",
                  "2026-11-01",
                  "--to",
                  "2026-12-01");
      assertThat(code).as(command).isEqualTo(2);
      assertThat(cli.err.toString())
          .as(command)
          .startsWith("tollgate: no ledger at " + dir.resolve("wrong-folder/ledger.db"))
          .doesNotContain("Exception");
      assertThat(cli.out.toString()).as(command).doesNotContain("$0");
    }
    assertThat(dir.resolve("wrong-folder")).doesNotExist(); // nothing was created there
  }
}
