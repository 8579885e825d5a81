package dev.tollgate.sync;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.tollgate.config.ConfigException;
import dev.tollgate.pricing.CatalogLoader;
import dev.tollgate.pricing.LitellmImport;
import dev.tollgate.pricing.ModelsDevImport;
import java.io.IOException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.StreamSupport;

/**
 * Reads a source's bytes, in its format, into one entry per model: its provider and kind and one
 * undated version (the rates in a Tollgate catalog's schema). Each entry is checked on its own, so
 * one malformed model (a negative or non-numeric rate) is skipped without losing the rest.
 */
final class SourceFormats {
  private static final ObjectMapper JSON =
      new ObjectMapper().enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);
  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory()).enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  /** The date stamped on a version while it is checked; the history gives it its real one. */
  private static final LocalDate ANY_DAY = LocalDate.of(2000, 1, 1);

  private SourceFormats() {}

  /**
   * The source's entries by model name; {@link IOException} when it is not in its format at all.
   */
  static Map<String, JsonNode> entries(String format, byte[] body) throws IOException {
    JsonNode models =
        switch (format) {
          case "litellm" ->
              LitellmImport.convert(JSON.readTree(body), Set.of(), ANY_DAY, name -> false)
                  .catalog()
                  .path("models");
          case "models_dev" -> ModelsDevImport.convert(JSON.readTree(body), ANY_DAY).path("models");
          default -> YAML.readTree(body).path("models");
        };
    if (!models.isObject()) {
      throw new IOException("no models in it");
    }
    Map<String, JsonNode> out = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = models.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> m = it.next();
      ObjectNode entry = entry(m.getValue());
      if (entry != null && valid(m.getKey(), entry)) {
        out.put(m.getKey().toLowerCase(java.util.Locale.ROOT), entry);
      }
    }
    return out;
  }

  /** {provider, kind, version} from a catalog model node: its latest version, undated. */
  private static ObjectNode entry(JsonNode model) {
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

  private static boolean valid(String name, ObjectNode entry) {
    try {
      CatalogLoader.parse(
          catalogTree(
              Map.of(name, Map.of(ANY_DAY.atStartOfDay(ZoneOffset.UTC).toInstant(), entry))),
          "check");
      return true;
    } catch (ConfigException | IllegalArgumentException e) {
      return false;
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
