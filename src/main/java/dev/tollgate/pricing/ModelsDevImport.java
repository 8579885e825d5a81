package dev.tollgate.pricing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/**
 * Converts models.dev's {@code api.json} (providers, each with models, each with a {@code cost} in
 * USD per 1M tokens) into a Tollgate catalog tree with one dated version per model. A model named
 * by several providers keeps the first provider's price; models without a cost are skipped.
 */
public final class ModelsDevImport {
  private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);
  private static final String[][] RATES = {
    {"input", "input"},
    {"cached_input", "cache_read"},
    {"cache_write_5m", "cache_write"},
    {"output", "output"},
    {"reasoning", "reasoning"},
    {"audio_input", "input_audio"},
    {"audio_output", "output_audio"}
  };

  private ModelsDevImport() {}

  public static ObjectNode convert(JsonNode modelsDev, LocalDate from) {
    ObjectNode models = NODES.objectNode();
    for (Iterator<Map.Entry<String, JsonNode>> p = modelsDev.fields(); p.hasNext(); ) {
      Map.Entry<String, JsonNode> provider = p.next();
      for (Iterator<Map.Entry<String, JsonNode>> m = provider.getValue().path("models").fields();
          m.hasNext(); ) {
        Map.Entry<String, JsonNode> model = m.next();
        JsonNode cost = model.getValue().path("cost");
        String name = model.getKey().toLowerCase(Locale.ROOT);
        if (!rate(cost.get("input")) || models.has(name)) {
          continue;
        }
        ObjectNode v = NODES.objectNode();
        v.put("from", from.toString());
        for (String[] r : RATES) {
          if (rate(cost.get(r[1]))) {
            v.put(r[0], cost.get(r[1]).decimalValue());
          }
        }
        if (!v.has("output")) {
          v.put("output", BigDecimal.ZERO);
        }
        ObjectNode entry = models.putObject(name);
        entry.put("provider", provider.getKey());
        entry.putArray("versions").add(v);
      }
    }
    ObjectNode root = NODES.objectNode();
    root.put("version", 1);
    root.set("models", models);
    return root;
  }

  /** A usable rate: a non-negative number. */
  private static boolean rate(JsonNode n) {
    return n != null && n.isNumber() && n.decimalValue().signum() >= 0;
  }
}
