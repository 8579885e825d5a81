package dev.tollgate.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What the shipped files cite must be there for whoever reads them: a price catalog whose sources
 * point at files outside the repository cannot be checked by its users.
 */
class CitedFilesTest {
  /** A relative path with a folder, e.g. config/prices.yaml (URLs and globs are not paths). */
  private static final Pattern PATH =
      Pattern.compile("^[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)+\\.(md|json|ya?ml|sh|txt)$");

  @Test
  void everyRelativePathTheCatalogsAndDocsCiteExistsInTheRepository() throws IOException {
    List<Path> citing = new ArrayList<>();
    citing.add(Path.of("src/main/resources/tollgate/prices.yaml"));
    citing.add(Path.of("README.md"));
    try (Stream<Path> s = Files.list(Path.of("config"))) {
      s.filter(p -> p.toString().endsWith(".yaml")).forEach(citing::add);
    }
    try (Stream<Path> s = Files.list(Path.of("docs"))) {
      s.filter(p -> p.toString().endsWith(".md")).forEach(citing::add);
    }
    List<String> missing = new ArrayList<>();
    int checked = 0;
    for (Path file : citing) {
      for (String token : Files.readString(file).split("[\\s`'\"()\\[\\],;:<>|]+")) {
        String t = token.replaceAll("[.]+$", ""); // a sentence's full stop
        if (t.startsWith("./")) {
          t = t.substring(2);
        }
        if (!PATH.matcher(t).matches() || t.startsWith("data/") || t.startsWith("target/")) {
          continue; // data/ and target/ are made when Tollgate runs or builds
        }
        checked++;
        if (!Files.exists(Path.of(t)) && !Files.exists(file.getParent().resolve(t))) {
          missing.add(file + " cites " + t);
        }
      }
    }
    assertThat(checked).as("paths found to check").isGreaterThan(5);
    assertThat(missing).isEmpty();
  }
}
