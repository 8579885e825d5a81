package dev.tollgate.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * One mapping of the parsed YAML tree, read key by key with defaults. It remembers which keys were
 * read so that {@link #rejectUnknownKeys()} can name a misspelt key instead of ignoring it.
 */
final class Section {
  private final String path;
  private final JsonNode node;
  private final Set<String> read = new HashSet<>();
  private final List<Section> children = new ArrayList<>();

  Section(String path, JsonNode node) {
    this.path = path;
    this.node = node == null || node.isNull() ? MissingNode.getInstance() : node;
    if (!this.node.isMissingNode() && !this.node.isObject()) {
      throw new ConfigException(label() + ": must be a mapping of keys, got " + describe(this.node));
    }
  }

  Section section(String key) {
    Section child = new Section(keyPath(key), value(key));
    children.add(child);
    return child;
  }

  String string(String key, String fallback) {
    JsonNode v = value(key);
    if (v.isMissingNode() || v.isNull()) {
      return fallback;
    }
    if (!v.isValueNode()) {
      throw new ConfigException(keyPath(key) + ": expected a string, got " + describe(v));
    }
    return v.asText();
  }

  long integer(String key, long fallback) {
    JsonNode v = value(key);
    if (v.isMissingNode() || v.isNull()) {
      return fallback;
    }
    if (v.isIntegralNumber()) {
      return v.asLong();
    }
    return parseLong(v.asText(), key);
  }

  boolean bool(String key, boolean fallback) {
    JsonNode v = value(key);
    if (v.isMissingNode() || v.isNull()) {
      return fallback;
    }
    if (!v.isBoolean()) {
      throw new ConfigException(keyPath(key) + ": expected true or false, got " + describe(v));
    }
    return v.asBoolean();
  }

  Duration duration(String key, Duration fallback) {
    String text = string(key, null);
    if (text == null) {
      return fallback;
    }
    try {
      return Units.duration(text);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(keyPath(key) + ": " + e.getMessage());
    }
  }

  long bytes(String key, long fallback) {
    String text = string(key, null);
    if (text == null) {
      return fallback;
    }
    try {
      return Units.bytes(text);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(keyPath(key) + ": " + e.getMessage());
    }
  }

  /** Fails on the first key in this mapping (or a child mapping read so far) that nothing read. */
  void rejectUnknownKeys() {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!read.contains(name)) {
        throw new ConfigException(keyPath(name) + ": unknown key");
      }
    }
    children.forEach(Section::rejectUnknownKeys);
  }

  String keyPath(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  private JsonNode value(String key) {
    read.add(key);
    return node.path(key);
  }

  private long parseLong(String text, String key) {
    try {
      return Long.parseLong(text.trim());
    } catch (NumberFormatException e) {
      throw new ConfigException(keyPath(key) + ": expected a whole number, got '" + text + "'");
    }
  }

  private String label() {
    return path.isEmpty() ? "config" : path;
  }

  private static String describe(JsonNode v) {
    return v.isContainerNode() ? v.getNodeType().name().toLowerCase() : "'" + v.asText() + "'";
  }
}
