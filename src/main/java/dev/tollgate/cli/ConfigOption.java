package dev.tollgate.cli;

import dev.tollgate.config.ConfigLoader;
import dev.tollgate.config.TollgateConfig;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The {@code --config} option every command that reads the config shares (a picocli mixin). */
final class ConfigOption {
  @Option(
      names = {"-c", "--config"},
      paramLabel = "FILE",
      description =
          "Config file (default: config/tollgate.yaml if it exists, else the built-in defaults;"
              + " a file named here must exist).")
  Path file;

  /** The config as the environment and the file (or the defaults) say. */
  TollgateConfig load() {
    return new ConfigLoader(System.getenv()).loadOrDefaults(file);
  }
}
