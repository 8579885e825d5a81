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

  @Test
  void listShowsNamesAndOwnersAndRevokeRefusesTheKey() throws Exception {
    Path file = dir.resolve("keys.yaml");
    String secret =
        run(
            "keys",
            "new",
            "--team",
            "ads",
            "--name",
            "ads-bot",
            "--expires",
            "2999-01-01",
            "--file",
            file.toString());
    Cli list = new Cli();
    assertThat(list.run("keys", "list", "--file", file.toString())).isZero();
    assertThat(list.out.toString())
        .containsPattern("(?m)^ads-bot +virtual +ads .*2999-01-01T00:00:00Z +active$")
        .doesNotContain(secret)
        .doesNotContain(Keys.sha256(secret));

    Cli revoke = new Cli();
    assertThat(revoke.run("keys", "revoke", "ads-bot", "--file", file.toString())).isZero();
    assertThat(Keys.load(file).virtualKey(secret).revoked()).isTrue();
    Cli listed = new Cli();
    listed.run("keys", "list", "--file", file.toString());
    assertThat(listed.out.toString()).containsPattern("(?m)^ads-bot .* revoked$");

    Cli unknown = new Cli();
    assertThat(unknown.run("keys", "revoke", "nobody", "--file", file.toString())).isEqualTo(2);
    assertThat(unknown.err.toString()).startsWith("tollgate: no key named 'nobody'");
  }

  @Test
  void anUnwritableKeysFileIsOneLineAndCode2() throws Exception {
    Path file = Files.createSymbolicLink(dir.resolve("keys.yaml"), dir.resolve("gone/keys.yaml"));
    Cli cli = new Cli();
    int code = cli.run("keys", "new", "--team", "ads", "--file", file.toString());
    assertThat(code).isEqualTo(2);
    assertThat(cli.err.toString())
        .startsWith("tollgate: cannot write keys file")
        .doesNotContain("Exception")
        .hasLineCount(1);
  }
}
