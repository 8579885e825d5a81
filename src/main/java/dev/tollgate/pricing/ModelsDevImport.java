package dev.tollgate.pricing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.Locale;

/**
 * Converts one model of models.dev's {@code api.json} (providers, each with models, each with a
 * {@code cost} in USD per 1M tokens) into a catalog model with one dated version. A model without a
 * cost is skipped; so is one with any unusable rate (never priced in part).
 */
public final class ModelsDevImport {
  private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);
  private static final BigDecimal MAX_PER_MILLION = BigDecimal.valueOf(1_000_000);
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

  /** One model of one provider, as a catalog model, or why not ({@link LitellmImport.Entry}). */
  public static LitellmImport.Entry entry(
      String provider, String key, JsonNode model, LocalDate from) {
    String name = key.toLowerCase(Locale.ROOT);
    JsonNode cost = model.path("cost");
    if (!cost.isObject() || !cost.has("input")) {
      return LitellmImport.Entry.notPriced(name, "no cost.input");
    }
    ObjectNode v = NODES.objectNode();
    v.put("from", from.toString());
    try {
      for (String[] r : RATES) {
        BigDecimal rate = PriceNumbers.read(cost, r[1], MAX_PER_MILLION);
        if (rate != null) {
          v.put(r[0], rate);
        }
      }
    } catch (PriceNumbers.Bad bad) {
      return LitellmImport.Entry.broken(name, "unusable rate cost." + bad.getMessage());
    }
    if (!v.has("output")) {
      v.put("output", BigDecimal.ZERO);
    }
    ObjectNode entry = NODES.objectNode();
    entry.put("provider", provider);
    entry.putArray("versions").add(v);
    return LitellmImport.Entry.of(name, entry);
  }
}
