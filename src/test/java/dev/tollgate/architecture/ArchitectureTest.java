package dev.tollgate.architecture;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.equivalentTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.tollgate.ledger.LedgerReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The rules that keep the code shaped as docs/ARCHITECTURE.md draws it. */
class ArchitectureTest {
  private static final Path MAIN = Path.of("src/main/java/dev/tollgate");
  private static final int MAX_LINES = 300;
  private static JavaClasses classes;

  @BeforeAll
  static void importProductionClasses() {
    classes =
        new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.tollgate");
  }

  @Test
  void theCallModelUsageParsingAndPricingKnowNothingOfNetty() {
    noClasses()
        .that()
        .resideInAnyPackage(
            "dev.tollgate.call..", "dev.tollgate.openai..", "dev.tollgate.pricing..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("io.netty..")
        .check(classes);
  }

  @Test
  void packagesHaveNoDependencyCycles() {
    slices().matching("dev.tollgate.(*)..").should().beFreeOfCycles().check(classes);
  }

  @Test
  void metricsUseNoStorageTypes() {
    noClasses()
        .that()
        .resideInAPackage("dev.tollgate.metrics..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.tollgate.ledger..")
        .check(classes);
  }

  @Test
  void reportsReadTheLedgerOnlyThroughItsReader() {
    noClasses()
        .that()
        .resideInAPackage("dev.tollgate.report..")
        .should()
        .dependOnClassesThat(
            resideInAPackage("dev.tollgate.ledger..").and(not(equivalentTo(LedgerReader.class))))
        .check(classes);
  }

  @Test
  void theProductionCodeHoldsNoBenchmarkClient() {
    noClasses().should().resideInAPackage("dev.tollgate.bench..").check(classes);
    noClasses()
        .should()
        .dependOnClassesThat()
        .resideInAPackage("org.HdrHistogram..")
        .check(classes);
  }

  @Test
  void noProductionClassIsOverThreeHundredLines() throws IOException {
    // With the formatter enforced, lines cannot be widened to stay under the limit.
    try (Stream<Path> files = Files.walk(MAIN)) {
      List<String> tooLong =
          files
              .filter(f -> f.toString().endsWith(".java"))
              .filter(f -> lines(f) > MAX_LINES)
              .map(f -> f + " (" + lines(f) + " lines)")
              .toList();
      assertThat(tooLong).isEmpty();
    }
  }

  @Test
  void everyPackageIsNamedInTheArchitecturePage() throws IOException {
    String page = Files.readString(Path.of("docs/ARCHITECTURE.md"));
    try (Stream<Path> dirs = Files.list(MAIN)) {
      List<String> packages =
          dirs.filter(Files::isDirectory).map(d -> d.getFileName().toString()).sorted().toList();
      assertThat(packages).isNotEmpty();
      assertThat(packages)
          .allSatisfy(
              p ->
                  assertThat(page)
                      .as("docs/ARCHITECTURE.md names package %s", p)
                      .contains("`" + p + "`"));
    }
  }

  private static long lines(Path file) {
    try (Stream<String> l = Files.lines(file)) {
      return l.count();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
