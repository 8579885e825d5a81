package dev.tollgate.config;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads the YAML files an operator edits (config, price overrides, keys) into a tree. Every failure
 * is one {@link ConfigException} line naming the file and, for a syntax error, its line and column:
 * an operator fixing a file needs where, not the parser's stack.
 */
public final class YamlFile {
  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  private YamlFile() {}

  /**
   * The tree in {@code file} (null for an empty file), or null when the file is missing and {@code
   * missingOk}.
   *
   * @param what how the message names the file, e.g. "config file"
   */
  public static JsonNode read(Path file, String what, boolean missingOk) {
    try {
      return YAML.readTree(Files.readAllBytes(file));
    } catch (NoSuchFileException e) {
      if (missingOk) {
        return null;
      }
      throw new ConfigException(what + " not found: " + file);
    } catch (JacksonException e) {
      throw new ConfigException(what + " " + file + " is not valid YAML" + where(e) + reason(e));
    } catch (IOException e) {
      throw new ConfigException("cannot read " + what + " " + file + ": " + e.getMessage(), e);
    }
  }

  /** Parses YAML text; a syntax error names its line and column. */
  public static JsonNode parse(String yaml, String what) {
    try {
      return YAML.readTree(yaml);
    } catch (JacksonException e) {
      throw new ConfigException(what + " is not valid YAML" + where(e) + reason(e));
    }
  }

  private static String where(JacksonException e) {
    JsonLocation at = e.getLocation();
    return at == null || at.getLineNr() < 1
        ? ""
        : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
  }

  private static String reason(JacksonException e) {
    // SnakeYAML's message interleaves what is wrong with indented location and caret drawings;
    // keep the unindented lines, which say what it was parsing and what it found instead.
    String said =
        e.getOriginalMessage()
            .lines()
            .filter(l -> !l.isBlank() && !Character.isWhitespace(l.charAt(0)))
            .map(String::trim)
            .collect(java.util.stream.Collectors.joining(", "));
    return said.isEmpty() ? "" : ": " + said;
  }
}
