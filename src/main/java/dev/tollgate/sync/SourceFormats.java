package dev.tollgate.sync;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.tollgate.config.ConfigException;
import dev.tollgate.pricing.CatalogLoader;
import dev.tollgate.pricing.LitellmImport;
import dev.tollgate.pricing.ModelsDevImport;
import dev.tollgate.pricing.Providers;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.stream.StreamSupport;

/**
 * Reads a source's file, in its format, into one entry per model: its provider and kind and one
 * undated version (the rates in a Tollgate catalog's schema). Read as a stream, one model's entry
 * at a time, so memory does not grow with the file. Each entry is checked on its own: one with an
 * unusable rate (a word, NaN, a negative, {@code 1e1001}) is skipped and named, and the rest of the
 * source is kept.
 */
final class SourceFormats {
  // Limits for one entry of a source nobody here wrote: its strings, nesting and numbers.
  private static final StreamReadConstraints LIMITS =
      StreamReadConstraints.builder()
          .maxStringLength(64 * 1024)
          .maxNestingDepth(64)
          .maxNumberLength(100)
          .build();
  private static final ObjectMapper JSON =
      mapper(
          JsonFactory.builder()
              .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS) // NaN skips one model, not all
              .streamReadConstraints(LIMITS)
              .build());
  private static final ObjectMapper YAML =
      mapper(YAMLFactory.builder().streamReadConstraints(LIMITS).build());

  /**
   * Set on an entry that prices only calls sent to one provider (a reseller's, LiteLLM's {@code
   * azure/gpt-4o-mini}); its history key is {@code provider/name}. An entry without it is the
   * model's own, which prices it wherever no provider-specific entry does.
   */
  static final String FOR_PROVIDER = "for_provider";

  /** The date stamped on a version while it is checked; the history gives it its real one. */
  private static final LocalDate ANY_DAY = LocalDate.of(2000, 1, 1);

  /**
   * What a source held.
   *
   * @param entries the usable models, by name
   * @param skipped the models left out for a fault of the source (an unusable rate, a version the
   *     catalog refuses), by name, with why: never priced from it, in part or at all
   * @param notPriced entries the catalog does not price (images, speech), counted
   */
  record Parsed(Map<String, JsonNode> entries, Map<String, String> skipped, int[] notPriced) {}

  private SourceFormats() {}

  private static ObjectMapper mapper(JsonFactory factory) {
    return new ObjectMapper(factory).enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
  }

  /** Reads {@code file}; {@link IOException} when it is not in its format at all. */
  static Parsed read(String format, Path file) throws IOException {
    Parsed out = new Parsed(new LinkedHashMap<>(), new LinkedHashMap<>(), new int[1]);
    ObjectMapper mapper = format.equals("litellm") || format.equals("models_dev") ? JSON : YAML;
    try (JsonParser p = mapper.createParser(file.toFile())) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IOException("not a " + format + " price source: no object at its top");
      }
      switch (format) {
        case "litellm" -> litellm(p, out);
        case "models_dev" -> modelsDev(p, out);
        default -> tollgate(p, out);
      }
    }
    if (out.entries().isEmpty() && out.skipped().isEmpty() && out.notPriced()[0] == 0) {
      throw new IOException("no models in it");
    }
    return out;
  }

  /** {@code {"model": {...}, ...}}: one entry per model. */
  private static void litellm(JsonParser p, Parsed out) throws IOException {
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String key = p.currentName();
      p.nextToken();
      JsonNode m = p.readValueAsTree();
      if (key.equals("sample_spec") || m == null || !m.isObject()) {
        continue; // LiteLLM's schema description, not a model
      }
      take(out, key, LitellmImport.entry(key, m, ANY_DAY));
    }
  }

  /** {@code {"provider": {"models": {"model": {...}}}}}: streamed down to each model. */
  private static void modelsDev(JsonParser p, Parsed out) throws IOException {
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String provider = p.currentName();
      if (p.nextToken() != JsonToken.START_OBJECT) {
        p.skipChildren();
        continue;
      }
      models(
          p,
          (key, m) -> {
            // Every entry is its provider's: SyncedCatalog makes a maker's the model's own.
            LitellmImport.Entry e = ModelsDevImport.entry(provider, key, m, ANY_DAY);
            take(out, provider + "/" + key, e.onlyFor(Providers.canonical(provider)));
          });
    }
  }

  /** A Tollgate catalog: {@code models: {name: {provider, versions: [...]}}}. */
  private static void tollgate(JsonParser p, Parsed out) throws IOException {
    models(
        p,
        (key, m) -> {
          ObjectNode entry = latest(m);
          String name = key.toLowerCase(Locale.ROOT);
          take(
              out,
              key,
              entry == null
                  ? LitellmImport.Entry.broken(name, "no versions")
                  : new LitellmImport.Entry(name, entry, null, false),
              false);
        });
  }

  /** What to do with one model's entry, read whole. */
  private interface EachModel {
    void read(String key, JsonNode model);
  }

  /**
   * Reads the {@code models} member of the object the parser is in, one model's entry at a time;
   * every other member is skipped unread.
   */
  private static void models(JsonParser p, EachModel each) throws IOException {
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken value = p.nextToken();
      if (!field.equals("models") || value != JsonToken.START_OBJECT) {
        p.skipChildren(); // a scalar: nothing to skip
        continue;
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String key = p.currentName();
        p.nextToken();
        JsonNode m = p.readValueAsTree();
        if (m != null && m.isObject()) {
          each.read(key, m);
        }
      }
    }
  }

  private static void take(Parsed out, String key, LitellmImport.Entry e) {
    take(out, key, e, true);
  }

  /**
   * Keeps a converted entry (its latest version, checked as the catalog will read it), or names why
   * it was left out. The first entry for a name wins.
   *
   * @param catalogModel the entry is a catalog model (with versions), not yet reduced to one
   */
  private static void take(Parsed out, String key, LitellmImport.Entry e, boolean catalogModel) {
    if (e.skipped() != null && !e.broken()) {
      out.notPriced()[0]++;
      return;
    }
    String why = e.skipped();
    ObjectNode entry = why == null && catalogModel ? latest(e.model()) : e.model();
    if (why == null && entry == null) {
      why = "no versions";
    }
    String stored = e.forProvider() == null ? e.name() : e.forProvider() + "/" + e.name();
    if (why == null && out.entries().containsKey(stored)) {
      why = "another entry for " + stored + " came first";
    }
    if (why == null) {
      why = problem(e.name(), entry);
    }
    if (why != null) {
      out.skipped().putIfAbsent(key, why);
    } else if (e.forProvider() != null) {
      entry.put(FOR_PROVIDER, e.forProvider());
      out.entries().put(e.forProvider() + "/" + e.name(), entry);
    } else {
      out.entries().put(e.name(), entry);
    }
  }

  /** {provider, kind, version} from a catalog model node: its latest version, undated. */
  private static ObjectNode latest(JsonNode model) {
    JsonNode latest =
        StreamSupport.stream(model.path("versions").spliterator(), false)
            .filter(JsonNode::isObject)
            .max(Comparator.comparing(v -> v.path("from").asText("")))
            .orElse(null);
    if (latest == null) {
      return null;
    }
    ObjectNode version = ((ObjectNode) latest).deepCopy();
    version.remove("from");
    version.remove("source");
    ObjectNode entry = JSON.createObjectNode();
    entry.put("provider", model.path("provider").asText("unknown"));
    entry.put("kind", model.path("kind").asText("chat"));
    entry.set("version", version);
    return entry;
  }

  /** Why the catalog would refuse this entry, or null when it reads it. */
  private static String problem(String name, ObjectNode entry) {
    try {
      CatalogLoader.parse(
          catalogTree(
              Map.of(name, Map.of(ANY_DAY.atStartOfDay(ZoneOffset.UTC).toInstant(), entry))),
          "check");
      return null;
    } catch (ConfigException | IllegalArgumentException | ArithmeticException e) {
      return e.getMessage();
    }
  }

  /** A catalog tree of models, each with its dated versions. */
  static ObjectNode catalogTree(Map<String, Map<Instant, JsonNode>> models) {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode out = root.putObject("models");
    models.forEach(
        (name, versions) -> {
          ObjectNode m = out.putObject(name);
          JsonNode any = versions.values().iterator().next();
          m.put("provider", any.path("provider").asText("unknown"));
          m.put("kind", any.path("kind").asText("chat"));
          var list = m.putArray("versions");
          versions.forEach(
              (from, entry) -> {
                ObjectNode v = ((ObjectNode) entry.path("version")).deepCopy();
                v.put("from", from.toString());
                list.add(v);
              });
        });
    return root;
  }
}
