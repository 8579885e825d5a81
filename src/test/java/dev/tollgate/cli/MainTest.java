package dev.tollgate.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MainTest {
  @Test
  void aMistypedCommandIsNamedAndTheNearestOneSuggested() {
    Cli cli = new Cli();
    assertThat(cli.runAsMain("srve")).isEqualTo(2);
    assertThat(cli.err.toString()).contains("'srve'").contains("serve");
  }

  @Test
  void optionsAloneMeanServe() {
    CommandLine cli = new CommandLine(new TollgateCommand());
    assertThat(Main.withDefaultCommand(new String[] {"--config", "x.yaml"}, cli))
        .containsExactly("serve", "--config", "x.yaml");
    assertThat(Main.withDefaultCommand(new String[0], cli)).containsExactly("serve");
    assertThat(Main.withDefaultCommand(new String[] {"report"}, cli)).containsExactly("report");
  }
}
