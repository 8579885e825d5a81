package dev.tollgate.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import dev.tollgate.attribution.Keys;
import dev.tollgate.config.ConfigException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code tollgate keys new}: issue a virtual key. */
@Command(
    name = "keys",
    mixinStandardHelpOptions = true,
    description = "Manage Tollgate virtual keys.",
    subcommands = {KeysCommand.New.class})
final class KeysCommand {
  private static final char[] ALPHABET =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();

  /** {@code tg-} and 40 base62 characters: about 238 random bits. */
  static String newSecret() {
    StringBuilder s = new StringBuilder("tg-");
    for (int i = 0; i < 40; i++) {
      s.append(ALPHABET[RANDOM.nextInt(ALPHABET.length)]);
    }
    return s.toString();
  }

  @Command(
      name = "new",
      mixinStandardHelpOptions = true,
      description =
          "Create a virtual key: prints the secret once and appends its hash to the keys file.")
  static final class New implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Option(names = "--team", required = true, description = "Team its calls are charged to.")
    String team;

    @Option(names = "--project", description = "Project its calls are charged to.")
    String project;

    @Option(names = "--user", description = "End user its calls are charged to.")
    String user;

    @Option(names = "--name", description = "The key's name in reports (default: <team>-<date>).")
    String name;

    @Option(
        names = {"-f", "--file"},
        paramLabel = "FILE",
        defaultValue = "config/keys.yaml",
        description = "Keys file to append to (default: ${DEFAULT-VALUE}).")
    Path file;

    @Override
    public Integer call() throws IOException {
      try {
        Keys.load(file); // refuse to append to a file that is already broken
      } catch (ConfigException e) {
        spec.commandLine().getErr().println("tollgate: " + e.getMessage());
        spec.commandLine().getErr().flush();
        return 2;
      }
      String secret = newSecret();
      LocalDate today = LocalDate.now(ZoneOffset.UTC);
      Map<String, String> entry = new LinkedHashMap<>();
      entry.put("name", name != null ? name : team + "-" + today);
      entry.put("sha256", Keys.sha256(secret));
      entry.put("team", team);
      if (project != null) {
        entry.put("project", project);
      }
      if (user != null) {
        entry.put("user", user);
      }
      entry.put("created", today.toString());
      String yaml =
          new ObjectMapper(
                  new YAMLFactory()
                      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                      .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES))
              .writeValueAsString(List.of(entry));
      boolean needsNewline =
          Files.exists(file) && Files.size(file) > 0 && !Files.readString(file).endsWith("\n");
      if (file.getParent() != null) {
        Files.createDirectories(file.getParent());
      }
      Files.writeString(
          file,
          (needsNewline ? "\n" : "") + yaml,
          StandardCharsets.UTF_8,
          StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
      spec.commandLine().getOut().println(secret);
      spec.commandLine().getOut().flush();
      spec.commandLine()
          .getErr()
          .println(
              "Key '"
                  + entry.get("name")
                  + "' for team "
                  + team
                  + " added to "
                  + file
                  + ". The secret above is shown once; Tollgate keeps only its hash.");
      spec.commandLine().getErr().flush();
      return 0;
    }
  }
}
