package dev.tollgate.pricing;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.tollgate.call.ServiceTier;
import dev.tollgate.config.ConfigException;
import dev.tollgate.config.Section;
import dev.tollgate.config.YamlFile;
import dev.tollgate.pricing.PriceVersion.LongContext;
import dev.tollgate.pricing.PriceVersion.ToolFee;
import dev.tollgate.pricing.PriceVersion.Window;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads {@code prices.yaml} into a {@link PriceCatalog}. Strict like the config file: an unknown
 * key, a negative rate or a duplicate date is an error naming its path, and prices are read as
 * exact decimals from the digits written.
 */
public final class CatalogLoader {
  static final BigDecimal CACHE_WRITE_5M_FACTOR = new BigDecimal("1.25");
  static final BigDecimal CACHE_WRITE_1H_FACTOR = new BigDecimal("2");

  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory()).enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  /** Where the curated catalog lives inside the jar. */
  public static final String BUNDLED = "/tollgate/prices.yaml";

  private CatalogLoader() {}

  /** The curated catalog shipped inside the jar: the base every local override lays over. */
  public static PriceCatalog bundled() {
    try (java.io.InputStream in = CatalogLoader.class.getResourceAsStream(BUNDLED)) {
      if (in == null) {
        throw new ConfigException(
            "the built-in price catalog " + BUNDLED + " is missing from the jar");
      }
      return parse(YAML.readTree(in));
    } catch (IOException e) {
      throw new ConfigException("cannot read the built-in price catalog: " + e.getMessage(), e);
    }
  }

  /** The bundled catalog with the local overrides in {@code file} laid over it. */
  public static PriceCatalog withOverrides(PriceCatalog bundled, Path file) {
    return bundled.overlay(load(file));
  }

  public static PriceCatalog load(Path file) {
    return parse(YamlFile.read(file, "price catalog", false));
  }

  public static PriceCatalog parse(String yaml) {
    return parse(YamlFile.parse(yaml, "price catalog"));
  }

  static PriceCatalog parse(JsonNode root) {
    return parse(root, null);
  }

  /**
   * A catalog tree whose entries all came from the synced price source {@code source} (null: the
   * curated catalog).
   */
  public static PriceCatalog parse(JsonNode root, String source) {
    Section top = new Section("", root);
    top.integer("version", 1);
    Map<String, String> aliases = new HashMap<>();
    Map<String, ModelPrice> models = models(top.section("models"), aliases, source);
    Section aliasSection = top.section("aliases");
    for (String alias : aliasSection.keys()) {
      aliases.put(
          alias.toLowerCase(Locale.ROOT), aliasSection.string(alias, "").toLowerCase(Locale.ROOT));
    }
    for (Map.Entry<String, String> a : aliases.entrySet()) {
      if (!models.containsKey(a.getValue())) {
        throw new ConfigException(
            "aliases." + a.getKey() + ": names unknown model '" + a.getValue() + "'");
      }
    }
    Map<String, Map<String, ModelPrice>> upstreams = new HashMap<>();
    Section upstreamSection = top.section("upstreams");
    for (String host : upstreamSection.keys()) {
      upstreams.put(
          host.toLowerCase(Locale.ROOT),
          models(upstreamSection.section(host).section("models"), aliases, source));
    }
    top.rejectUnknownKeys();
    return new PriceCatalog(models, aliases, upstreams);
  }

  private static Map<String, ModelPrice> models(
      Section s, Map<String, String> aliases, String source) {
    Map<String, ModelPrice> models = new HashMap<>();
    for (String name : s.keys()) {
      Section m = s.section(name);
      String key = name.toLowerCase(Locale.ROOT);
      for (String alias : m.strings("aliases")) {
        aliases.put(alias.toLowerCase(Locale.ROOT), key);
      }
      List<PriceVersion> versions = new ArrayList<>();
      Set<Instant> seen = new HashSet<>();
      for (Section v : m.sections("versions")) {
        PriceVersion version = version(v);
        if (!seen.add(version.since())) {
          throw new ConfigException(
              v.keyPath("from") + ": two versions of " + name + " start at " + version.label());
        }
        versions.add(version);
      }
      if (versions.isEmpty()) {
        throw new ConfigException(m.keyPath("versions") + ": needs at least one price version");
      }
      String kind = m.string("kind", ModelPrice.CHAT);
      if (!kind.equals(ModelPrice.CHAT) && !kind.equals(ModelPrice.EMBEDDING)) {
        throw new ConfigException(
            m.keyPath("kind") + ": must be chat or embedding, got '" + kind + "'");
      }
      models.put(key, new ModelPrice(key, m.string("provider", "unknown"), kind, versions, source));
    }
    return models;
  }

  private static PriceVersion version(Section v) {
    Instant since = instant(v, "from");
    LocalDate from = since.atZone(ZoneOffset.UTC).toLocalDate();
    v.string("source", null); // documentation only
    boolean unconfirmed = v.bool("unconfirmed", false);
    Rates rates = rates(v, null);
    Map<String, Rates> tiers = new HashMap<>();
    Section tierSection = v.section("tiers");
    for (String tier : tierSection.keys()) {
      Section t = tierSection.section(tier);
      BigDecimal multiplier = t.decimal("multiplier", null);
      // A catalog may name a tier as OpenAI spells it now (fast) or did (priority): one tier.
      tiers.put(
          ServiceTier.of(tier).priced().name(),
          multiplier != null ? rates.scaled(multiplier) : rates(t, rates));
    }
    Optional<LongContext> longContext = Optional.empty();
    if (v.has("long_context")) {
      Section lc = v.section("long_context");
      long threshold = lc.integer("threshold", -1);
      if (threshold <= 0) {
        throw new ConfigException(lc.keyPath("threshold") + ": must be a positive token count");
      }
      longContext =
          Optional.of(
              new LongContext(
                  threshold,
                  lc.decimal("input_multiplier", BigDecimal.ONE),
                  lc.decimal("output_multiplier", BigDecimal.ONE)));
    }
    List<Window> windows = new ArrayList<>();
    for (Section w : v.sections("windows")) {
      windows.add(
          new Window(
              w.string("name", "window"),
              time(w, "start"),
              time(w, "end"),
              required(w, "multiplier")));
    }
    Map<String, ToolFee> tools = new HashMap<>();
    Section toolSection = v.section("tools");
    for (String tool : toolSection.keys()) {
      Section t = toolSection.section(tool);
      tools.put(tool, new ToolFee(required(t, "per_1k_calls"), t.integer("free_per_day", 0)));
    }
    return new PriceVersion(from, rates, tiers, longContext, windows, tools, unconfirmed, since);
  }

  /**
   * Rates from {@code s}. Input and output left out of a tier come from the {@code base} rates;
   * every other rate left out derives from this entry's own input and output (a flex tier's
   * reasoning costs the flex output rate, not the standard one).
   */
  private static Rates rates(Section s, Rates base) {
    BigDecimal perMinute = rate(s, "per_minute", base == null ? null : base.perMinute());
    // A model priced only by the minute names no token rate: its zeros price no tokens.
    boolean tokens = base != null ? base.tokensPriced() : perMinute == null || s.has("input");
    BigDecimal input =
        base != null
            ? rate(s, "input", base.input())
            : tokens ? required(s, "input") : BigDecimal.ZERO;
    BigDecimal output = rate(s, "output", base == null ? BigDecimal.ZERO : base.output());
    BigDecimal cached = rate(s, "cached_input", input);
    return new Rates(
        input,
        cached,
        rate(s, "cache_write_5m", input.multiply(CACHE_WRITE_5M_FACTOR)),
        rate(s, "cache_write_1h", input.multiply(CACHE_WRITE_1H_FACTOR)),
        output,
        rate(s, "reasoning", output),
        rate(s, "audio_input", input),
        rate(s, "audio_output", output),
        rate(s, "cached_audio_input", cached),
        perMinute,
        tokens);
  }

  /** No real price comes near $1M per 1M tokens (or per 1k tool calls): past it is a mistake. */
  static final BigDecimal MAX_RATE = BigDecimal.valueOf(1_000_000);

  private static BigDecimal rate(Section s, String key, BigDecimal fallback) {
    BigDecimal d = s.decimal(key, fallback);
    if (s.has(key) && d != null && d.compareTo(MAX_RATE) > 0) { // as written, not as derived
      throw new ConfigException(
          s.keyPath(key) + ": " + d.toPlainString() + " is above " + MAX_RATE + ", out of range");
    }
    return d;
  }

  private static BigDecimal required(Section s, String key) {
    BigDecimal d = rate(s, key, null);
    if (d == null) {
      throw new ConfigException(s.keyPath(key) + ": is required");
    }
    return d;
  }

  /** A date (the start of that UTC day) or an exact UTC instant such as 2026-12-01T15:04:05Z. */
  private static Instant instant(Section s, String key) {
    String text = s.string(key, null);
    if (text == null) {
      throw new ConfigException(s.keyPath(key) + ": is required (YYYY-MM-DD)");
    }
    try {
      String t = text.trim();
      return t.contains("T")
          ? Instant.parse(t)
          : LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant();
    } catch (DateTimeParseException e) {
      throw new ConfigException(
          s.keyPath(key) + ": expected a date YYYY-MM-DD (or a UTC instant), got '" + text + "'");
    }
  }

  private static LocalTime time(Section s, String key) {
    String text = s.string(key, null);
    try {
      return LocalTime.parse(text == null ? "" : text.trim());
    } catch (DateTimeParseException e) {
      throw new ConfigException(
          s.keyPath(key) + ": expected a quoted UTC time \"HH:MM\", got '" + text + "'");
    }
  }
}
