package dev.tollgate.attribution;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.tollgate.config.ConfigException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AttributorTest {
  static final String SEARCH_KEY = "tg-searchSECRET0000000000000000000000000001";
  static final String REVOKED_KEY = "tg-revokedSECRET000000000000000000000000002";
  static final String ADS_UPSTREAM_KEY = "sk-ads-own-openai-key";
  static final Attributor.Headers HEADERS =
      new Attributor.Headers(
          "x-tollgate-team", "x-tollgate-project", "x-tollgate-user", "x-tollgate-tags");

  @TempDir Path dir;
  Attributor attributor;

  @BeforeEach
  void keys() throws Exception {
    Path file = dir.resolve("keys.yaml");
    Files.writeString(
        file,
        """
        - name: search-prod
          sha256: %s
          team: search
          project: ranking
        - name: old
          sha256: %s
          team: search
          revoked: true
        - fingerprint: %s
          team: ads
        """
            .formatted(
                Keys.sha256(SEARCH_KEY),
                Keys.sha256(REVOKED_KEY),
                Keys.fingerprint(ADS_UPSTREAM_KEY)));
    Keys keys = Keys.load(file);
    attributor = new Attributor(() -> keys, HEADERS);
  }

  Attributor.Result resolve(String auth, Map<String, String> headers, String bodyUser) {
    return attributor.resolve(auth, headers::get, bodyUser);
  }

  /** The per-thread digest is reset by each use: the same input hashes the same, every time. */
  @Test
  void keyHashesAreSha256AndRepeatable() {
    String abc =
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"; // FIPS 180-2 test
    // vector
    assertThat(Keys.sha256("abc")).isEqualTo(abc);
    assertThat(Keys.sha256("sk-other")).isNotEqualTo(abc);
    assertThat(Keys.sha256("abc")).isEqualTo(abc);
    assertThat(Keys.fingerprint("abc")).isEqualTo(abc.substring(0, 16));
  }

  @Test
  void aVirtualKeysTeamCannotBeMovedByHeaders() {
    var r =
        resolve(
            "Bearer " + SEARCH_KEY,
            Map.of(
                "x-tollgate-team", "ads", "x-tollgate-project", "x", "x-tollgate-user", "mallory"),
            "body-user");
    assertThat(r.refusal()).isNull();
    assertThat(r.attribution())
        .isEqualTo(new Attribution("search", "ranking", "mallory", "search-prod", Map.of(), true));
  }

  @Test
  void unknownAndRevokedVirtualKeysAreRefused() {
    assertThat(resolve("Bearer tg-nope", Map.of(), null).refusal()).contains("not in keys.yaml");
    assertThat(resolve("Bearer " + REVOKED_KEY, Map.of(), null).refusal()).contains("revoked");
  }

  @Test
  void aMappedPassthroughKeyNamesItsTeam() {
    var r = resolve("Bearer " + ADS_UPSTREAM_KEY, Map.of("x-tollgate-team", "search"), null);
    assertThat(r.attribution().team()).isEqualTo("ads");
    assertThat(r.attribution().key()).isEqualTo("fp:" + Keys.fingerprint(ADS_UPSTREAM_KEY));
    assertThat(r.attribution().virtualKey()).isFalse();
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      nullValues = "null",
      value = {
        "headers only          | Bearer sk-other | search | ml     | alice | null  | search | ml   | alice",
        "body user as fallback | Bearer sk-other | search | null   | null  | bob   | search | null | bob",
        "header user first     | null            | null   | null   | carol | bob   | unattributed | null | carol",
        "nothing at all        | null            | null   | null   | null  | null  | unattributed | null | null",
        "blank header ignored  | null            | '  '   | null   | null  | null  | unattributed | null | null",
      })
  void headersAndTheBodyFillWhatNoKeySet(
      String name,
      String auth,
      String team,
      String project,
      String user,
      String bodyUser,
      String expectedTeam,
      String expectedProject,
      String expectedUser) {
    Map<String, String> h = new HashMap<>();
    if (team != null) h.put("x-tollgate-team", team);
    if (project != null) h.put("x-tollgate-project", project);
    if (user != null) h.put("x-tollgate-user", user);
    Attribution a = resolve(auth, h, bodyUser).attribution();
    assertThat(a.team()).isEqualTo(expectedTeam);
    assertThat(a.project()).isEqualTo(expectedProject);
    assertThat(a.user()).isEqualTo(expectedUser);
  }

  @Test
  void tagsAreParsedAndBounded() {
    assertThat(Attributor.tags("feature=search, env=prod,,broken,=x,y="))
        .containsExactly(Map.entry("feature", "search"), Map.entry("env", "prod"));
    StringBuilder many = new StringBuilder();
    for (int i = 0; i < 40; i++) {
      many.append("t").append(i).append("=v,");
    }
    assertThat(Attributor.tags(many.toString())).hasSize(16);
    assertThat(resolve(null, Map.of("x-tollgate-team", "x".repeat(500)), null).attribution().team())
        .hasSize(128);
  }

  @Test
  void anUnmappedUpstreamKeyIsRecordedByFingerprintNeverInFull() {
    Attribution a = resolve("Bearer sk-secret-123", Map.of(), null).attribution();
    assertThat(a.key())
        .isEqualTo("fp:" + Keys.fingerprint("sk-secret-123"))
        .doesNotContain("secret");
  }

  @Test
  void aKeysFileEntryNeedsATeamAndOneKindOfKey() throws Exception {
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, "- sha256: abc\n  fingerprint: def\n  team: x\n");
    assertThatThrownBy(() -> Keys.load(bad))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("exactly one of");
    Files.writeString(bad, "- sha256: abc\n");
    assertThatThrownBy(() -> Keys.load(bad)).hasMessageContaining("keys[0].team: is required");
    assertThat(Keys.load(dir.resolve("absent.yaml")).virtualKeyCount()).isZero();
  }
}
