package dev.tollgate.attribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyFileTest {
  static final Clock CLOCK = Clock.fixed(Instant.parse("2026-12-01T10:00:00Z"), ZoneOffset.UTC);
  @TempDir Path dir;

  @Test
  void revokingEditsOnlyThatEntryInEveryWayAnEntryCanBeWritten() throws Exception {
    Path file = dir.resolve("keys.yaml");
    String text =
        """
        # Team keys. Ask #platform before adding one.
        - name: block
          sha256: aaaa
          team: search   # the search team's CI
        - {name: flow, sha256: bbbb, team: ads}
        - name: already
          sha256: cccc
          team: ads
          revoked: false
        - fingerprint: dddd
          team: support
        """;
    Files.writeString(file, text);
    KeyFile keys = new KeyFile(file, CLOCK);
    for (String name : new String[] {"block", "flow", "already"}) {
      assertThat(keys.revoke(name)).isEqualTo(1);
    }
    String after = Files.readString(file);
    assertThat(after)
        .startsWith("# Team keys. Ask #platform before adding one.\n")
        .contains("team: search   # the search team's CI")
        .contains("- {revoked: true, name: flow, sha256: bbbb, team: ads}");
    assertThat(keys.list())
        .extracting(KeyEntry::name, KeyEntry::revoked)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("block", true),
            org.assertj.core.groups.Tuple.tuple("flow", true),
            org.assertj.core.groups.Tuple.tuple("already", true),
            org.assertj.core.groups.Tuple.tuple(null, false));
    assertThatThrownBy(() -> keys.revoke("nobody"))
        .isInstanceOf(KeyFile.Refused.class)
        .hasMessageContaining("no key named 'nobody'");
  }

  @Test
  void issuedNamesAreUniqueAndADefaultNameNeverCollides() throws Exception {
    KeyFile keys = new KeyFile(dir.resolve("sub/keys.yaml"), CLOCK); // the folder is created
    KeyFile.Issued first = keys.issue(new KeyFile.NewKey("search", null, null, null, null));
    KeyFile.Issued second = keys.issue(new KeyFile.NewKey("search", null, null, null, null));
    assertThat(first.entry().name()).isEqualTo("search-2026-12-01");
    assertThat(second.entry().name()).isEqualTo("search-2026-12-01-2");
    assertThatThrownBy(
            () -> keys.issue(new KeyFile.NewKey("ads", null, null, "search-2026-12-01", null)))
        .isInstanceOf(KeyFile.Refused.class)
        .extracting(e -> ((KeyFile.Refused) e).problem())
        .isEqualTo(KeyFile.Problem.NAME_TAKEN);
    assertThat(Keys.load(keys.path()).virtualKey(second.secret()).team()).isEqualTo("search");
  }

  @Test
  void expiryIsADateAnInstantOrANumberOfDays() {
    Instant now = Instant.parse("2026-12-01T10:00:00Z");
    assertThat(KeyFile.parseExpiry("2027-01-31", now)).isEqualTo("2027-01-31T00:00:00Z");
    assertThat(KeyFile.parseExpiry("2027-01-31T12:00:00Z", now)).isEqualTo("2027-01-31T12:00:00Z");
    assertThat(KeyFile.parseExpiry("90d", now)).isEqualTo("2027-03-01T10:00:00Z");
    assertThatThrownBy(() -> KeyFile.parseExpiry("soon", now)).hasMessageContaining("got 'soon'");
  }

  @Test
  void aKeysFileThatCannotBeWrittenIsOneLineNamingIt() throws Exception {
    // Tests run as root, which no file mode stops: a link to a folder that is gone fails the
    // write the way a read-only mount or a root-owned file fails it for the image's user.
    Path file = Files.createSymbolicLink(dir.resolve("keys.yaml"), dir.resolve("gone/keys.yaml"));
    KeyFile keys = new KeyFile(file, CLOCK);
    assertThatThrownBy(() -> keys.issue(new KeyFile.NewKey("search", null, null, null, null)))
        .isInstanceOf(KeyFile.Refused.class)
        .hasMessageStartingWith("cannot write keys file " + file + ": no such folder")
        .hasMessageContaining("TOLLGATE_KEYS_FILE")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
  }

  @org.junit.jupiter.params.ParameterizedTest(name = "a file holding {0}")
  @org.junit.jupiter.params.provider.ValueSource(
      strings = {"[]", "[ ]\n", "# team keys\n[]\n", "null\n", "~", ""})
  void keysIssuedIntoAnEmptyFileOfAnyShapeAllLoad(String text) throws Exception {
    Path file = dir.resolve("keys.yaml");
    Files.writeString(file, text.replace("\\n", "\n"));
    KeyFile keys = new KeyFile(file, CLOCK);
    KeyFile.Issued a = keys.issue(new KeyFile.NewKey("search", null, null, "a", null));
    KeyFile.Issued b = keys.issue(new KeyFile.NewKey("ads", null, null, "b", null));
    Keys loaded = Keys.load(file);
    assertThat(loaded.virtualKey(a.secret()).team()).isEqualTo("search");
    assertThat(loaded.virtualKey(b.secret()).team()).isEqualTo("ads");
    if (text.contains("#")) {
      assertThat(Files.readString(file)).startsWith("# team keys");
    }
  }

  @Test
  void theSameKeyTwiceIsRefusedOnLoadInOneLineNamingBothEntries() throws Exception {
    Path file = dir.resolve("keys.yaml");
    Files.writeString(
        file, "- {name: a, sha256: abcd, team: search}\n- {name: b, sha256: ABCD, team: ads}\n");
    assertThatThrownBy(() -> Keys.load(file))
        .isInstanceOf(dev.tollgate.config.ConfigException.class)
        .hasMessageContaining("keys[1] is the same key as keys[0]")
        .hasMessageNotContaining("\n");
    Files.writeString(
        file, "- {name: a, fingerprint: ff01, team: s}\n- {name: b, fingerprint: ff01, team: t}\n");
    assertThatThrownBy(() -> Keys.load(file)).hasMessageContaining("same key");
  }

  @Test
  void twoActiveKeysOfOneNameAreRefusedButARevokedOneMayShareIt() throws Exception {
    Path file = dir.resolve("keys.yaml");
    Files.writeString(
        file, "- {name: ci, sha256: aa, team: search}\n- {name: ci, sha256: bb, team: ads}\n");
    assertThatThrownBy(() -> Keys.load(file))
        .hasMessageContaining("keys[1].name 'ci' is already the name of keys[0]");
    Files.writeString(
        file,
        "- {name: ci, sha256: aa, team: search, revoked: true}\n"
            + "- {name: ci, sha256: bb, team: ads}\n");
    assertThat(Keys.load(file).entries()).hasSize(2);
  }
}
