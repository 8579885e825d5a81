package dev.tollgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.tollgate.attribution.KeyEntry;
import dev.tollgate.attribution.Keys;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class KeysCommandTest {
  @TempDir Path dir;

  String run(String... args) {
    StringWriter out = new StringWriter();
    CommandLine cli = new CommandLine(new TollgateCommand());
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(new StringWriter()));
    assertThat(cli.execute(args)).isZero();
    return out.toString().trim();
  }

  @Test
  void aNewKeyIsPrintedOnceAndOnlyItsHashIsAppended() throws Exception {
    Path file = dir.resolve("keys.yaml");
    Files.writeString(
        file, "# team keys\n"); // comments survive: entries are appended, never rewritten
    String first =
        run(
            "keys",
            "new",
            "--team",
            "search",
            "--project",
            "ranking",
            "--name",
            "search-prod",
            "--file",
            file.toString());
    String second = run("keys", "new", "--team", "ads", "--file", file.toString());

    assertThat(first).matches("tg-[0-9A-Za-z]{40}");
    assertThat(second).matches("tg-[0-9A-Za-z]{40}").isNotEqualTo(first);
    String text = Files.readString(file);
    assertThat(text)
        .startsWith("# team keys\n")
        .doesNotContain(first)
        .doesNotContain(second)
        .contains(Keys.sha256(first));
    Keys keys = Keys.load(file);
    KeyEntry entry = keys.virtualKey(first);
    assertThat(entry.team()).isEqualTo("search");
    assertThat(entry.project()).isEqualTo("ranking");
    assertThat(entry.name()).isEqualTo("search-prod");
    assertThat(keys.virtualKey(second).team()).isEqualTo("ads");
    assertThat(keys.virtualKeyCount()).isEqualTo(2);
  }
}
