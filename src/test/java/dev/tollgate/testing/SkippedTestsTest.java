package dev.tollgate.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SkippedTestsTest {
  @TempDir Path dir;

  @Test
  void aSkippedTestIsListedWithTheFirstLineOfItsReason() throws Exception {
    Path report = dir.resolve("TEST-dev.tollgate.metrics.DashboardQueriesTest.xml");
    Files.writeString(
        report,
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <testsuite name="dev.tollgate.metrics.DashboardQueriesTest" tests="2" skipped="1">
          <testcase name="ran" classname="dev.tollgate.metrics.DashboardQueriesTest" time="1"/>
          <testcase name="everyPanelQueryRuns" classname="dev.tollgate.metrics.DashboardQueriesTest">
            <skipped message="Assumption failed: prometheus is not on the PATH&#10;second line"/>
          </testcase>
        </testsuite>
        """);
    assertThat(SkippedTests.skipped(report))
        .containsExactly(
            "DashboardQueriesTest.everyPanelQueryRuns: Assumption failed: prometheus is not on the"
                + " PATH");
  }
}
