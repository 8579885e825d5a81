package dev.tollgate.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

/**
 * One mapping of a parsed YAML tree, read key by key with defaults. It remembers which keys were
 * read so that {@link #rejectUnknownKeys()} can name a misspelt key instead of ignoring it. Used
 * for the config file and the price catalog alike; every error names the full key path.
 */
public final class Section {
  private final String path;
  private final JsonNode node;
  private final Set<String> read = new HashSet<>();
  private final List<Section> children = new ArrayList<>();

  public Section(String path, JsonNode node) {
    this.path = path;
    this.node = node == null || node.isNull() ? MissingNode.getInstance() : node;
    if (!this.node.isMissingNode() && !this.node.isObject()) {
      throw new ConfigException(
          label() + ": must be a mapping of keys, got " + describe(this.node));
    }
  }

  public Section section(String key) {
    Section child = new Section(keyPath(key), value(key));
    children.add(child);
    return child;
  }

  public String string(String key, String fallback) {
    JsonNode v = value(key);
    if (v.isMissingNode() || v.isNull()) {
      return fallback;
    }
    if (!v.isValueNode()) {
      throw new ConfigException(keyPath(key) + ": expected a string, got " + describe(v));
    }
    return v.asText();
  }

  public long integer(String key, long fallback) {
    JsonNode v = value(key);
    if (v.isMissingNode() || v.isNull()) {
      return fallback;
    }
    if (v.isIntegralNumber()) {
      return v.asLong();
    }
    return parseLong(v.asText(), key);
  }

  public boolean bool(String key, boolean fallback) {
    JsonNode v = value(key);
    if (v.isMissingNode() || v.isNull()) {
      return fallback;
    }
    if (!v.isBoolean()) {
      throw new ConfigException(keyPath(key) + ": expected true or false, got " + describe(v));
    }
    return v.asBoolean();
  }

  public Duration duration(String key, Duration fallback) {
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

  public long bytes(String key, long fallback) {
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

  /** True when the mapping has {@code key} (it is then read, for unknown-key purposes). */
  public boolean has(String key) {
    return !value(key).isMissingNode();
  }

  /** Every key of this mapping, for mappings whose keys are names (models, tiers). */
  public List<String> keys() {
    List<String> keys = new ArrayList<>();
    node.fieldNames().forEachRemaining(keys::add);
    read.addAll(keys);
    return keys;
  }

  /** A list of mappings; empty when absent. */
  public List<Section> sections(String key) {
    JsonNode v = value(key);
    if (v.isMissingNode() || v.isNull()) {
      return List.of();
    }
    if (!v.isArray()) {
      throw new ConfigException(keyPath(key) + ": expected a list, got " + describe(v));
    }
    List<Section> list = new ArrayList<>();
    for (int i = 0; i < v.size(); i++) {
      Section child = new Section(keyPath(key) + "[" + i + "]", v.get(i));
      children.add(child);
      list.add(child);
    }
    return list;
  }

  /** A list of strings (a single string counts as a list of one); empty when absent. */
  public List<String> strings(String key) {
    JsonNode v = value(key);
    if (v.isMissingNode() || v.isNull()) {
      return List.of();
    }
    if (v.isValueNode()) {
      return List.of(v.asText());
    }
    List<String> list = new ArrayList<>();
    for (JsonNode item : v) {
      if (!item.isValueNode()) {
        throw new ConfigException(keyPath(key) + ": expected a list of strings");
      }
      list.add(item.asText());
    }
    return list;
  }

  /**
   * An exact decimal (never a double: prices must not drift). Needs the tree to have been parsed
   * with {@code USE_BIG_DECIMAL_FOR_FLOATS}, which keeps the written digits.
   */
  /** The most digits a decimal in a config or catalog file may have before and after its point. */
  private static final int MAX_DIGITS = 15;

  private static final int MAX_DECIMALS = 20;

  private static String abbreviate(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "…";
  }

  public BigDecimal decimal(String key, BigDecimal fallback) {
    JsonNode v = value(key);
    if (v.isMissingNode() || v.isNull()) {
      return fallback;
    }
    try {
      if (v.isNumber() && !Double.isFinite(v.doubleValue()) && (v.isDouble() || v.isFloat())) {
        throw new NumberFormatException("not finite");
      }
      BigDecimal d = v.isNumber() ? v.decimalValue() : new BigDecimal(v.asText().trim());
      // Bounded before anything expands it: 1e30000000 as a plain string is 30 MB of digits.
      if ((long) d.precision() - d.scale() > MAX_DIGITS
          || (d.signum() != 0 && d.stripTrailingZeros().scale() > MAX_DECIMALS)) {
        throw new ConfigException(
            keyPath(key)
                + ": out of range, got '"
                + abbreviate(v.asText())
                + "' (at most "
                + MAX_DIGITS
                + " digits before the point and "
                + MAX_DECIMALS
                + " after)");
      }
      if (d.signum() < 0) {
        throw new ConfigException(
            keyPath(key) + ": must not be negative, got " + d.toPlainString());
      }
      return d;
    } catch (NumberFormatException e) {
      throw new ConfigException(
          keyPath(key) + ": expected a decimal number, got '" + v.asText() + "'");
    }
  }

  /** Fails on the first key in this mapping (or a child mapping read so far) that nothing read. */
  public void rejectUnknownKeys() {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!read.contains(name)) {
        throw new ConfigException(keyPath(name) + ": unknown key");
      }
    }
    children.forEach(Section::rejectUnknownKeys);
  }

  public String keyPath(String key) {
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
