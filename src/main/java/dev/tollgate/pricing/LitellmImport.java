package dev.tollgate.pricing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Converts LiteLLM's {@code model_prices_and_context_window.json} (USD per token, one entry per
 * model) into a Tollgate catalog tree (USD per 1M tokens, one dated version per model). Entries
 * priced per image, second or character are skipped, and every skipped entry is reported with why:
 * an operator must know which of their models the import did not price.
 */
public final class LitellmImport {
  private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);
  private static final Set<String> TOKEN_MODES =
      Set.of("chat", "completion", "embedding", "responses");
  private static final Pattern ABOVE = Pattern.compile("input_cost_per_token_above_(\\d+)k_tokens");
  private static final BigDecimal MILLION = BigDecimal.valueOf(1_000_000);

  /** Per-unit modes LiteLLM prices by something other than tokens, and what that is. */
  private static final Map<String, String> OTHER_UNITS =
      Map.of(
          "image_generation", "per image or pixel",
          "image_edit", "per image",
          "audio_transcription", "per second of audio",
          "audio_speech", "per character",
          "video_generation", "per second of video",
          "moderation", "free, or per request",
          "rerank", "per search or query",
          "search", "per query");

  /**
   * @param catalog the catalog tree, ready to write as YAML
   * @param skipped the entries not imported, by the reason why (in the order met)
   * @param outsideProviders entries left out because their provider was not asked for
   */
  public record Imported(
      ObjectNode catalog, Map<String, List<String>> skipped, int outsideProviders) {
    public int skippedCount() {
      return skipped.values().stream().mapToInt(List::size).sum();
    }
  }

  private LitellmImport() {}

  /**
   * @param providers LiteLLM provider names to keep (e.g. openai, anthropic); empty keeps all
   * @param from the effective date given to every imported price
   * @param alreadyPriced names to leave out because the catalog the import is laid over prices them
   *     (never matches anything unless the caller asks for only the missing models)
   */
  public static Imported convert(
      JsonNode litellm, Set<String> providers, LocalDate from, Predicate<String> alreadyPriced) {
    ObjectNode models = NODES.objectNode();
    Map<String, String> keptFrom = new java.util.HashMap<>(); // name -> the key it came from
    Map<String, List<String>> skipped = new LinkedHashMap<>();
    int outside = 0;
    for (Iterator<Map.Entry<String, JsonNode>> it = litellm.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (e.getKey().equals("sample_spec")) {
        continue; // LiteLLM's schema description, not a model
      }
      String provider = e.getValue().path("litellm_provider").asText("");
      if (!providers.isEmpty() && !providers.contains(provider)) {
        outside++;
        continue;
      }
      Entry entry = entry(e.getKey(), e.getValue(), from);
      String why = entry.skipped();
      String before = keptFrom.get(entry.name());
      if (why == null && before != null) {
        // One entry per name: the model's own (bare) entry, else its maker's, else the first.
        if (rank(entry.forProvider()) > rank(prefixOf(before))) {
          skipped
              .computeIfAbsent(
                  "another provider's entry for the same model", k -> new ArrayList<>())
              .add(before);
        } else {
          why = "another provider's entry for the same model";
        }
      }
      if (why == null && alreadyPriced.test(entry.name())) {
        why = "already priced by the built-in catalog (--only-missing)";
      }
      if (why != null) {
        skipped.computeIfAbsent(why, k -> new ArrayList<>()).add(e.getKey());
        continue;
      }
      models.set(entry.name(), entry.model());
      keptFrom.put(entry.name(), e.getKey());
    }
    ObjectNode root = NODES.objectNode();
    root.put("version", 1);
    root.set("models", models);
    return new Imported(root, skipped, outside);
  }

  /**
   * One LiteLLM entry as a catalog model, or why it cannot be one.
   *
   * @param name the model's name (lower case, its {@code provider/} prefix removed)
   * @param model the catalog model, or null when skipped
   * @param skipped why it was skipped, or null
   * @param broken it was skipped for a fault of the source (an unusable rate), not because it is
   *     something the catalog does not price (images, speech)
   * @param forProvider the provider whose calls alone this entry prices (a reseller's or host's
   *     entry, {@code azure/gpt-4o-mini}), or null for the model's own entry, which prices it
   *     wherever no provider-specific entry does
   */
  public record Entry(
      String name, ObjectNode model, String skipped, boolean broken, String forProvider) {
    public Entry(String name, ObjectNode model, String skipped, boolean broken) {
      this(name, model, skipped, broken, null);
    }

    public static Entry of(String name, ObjectNode model) {
      return new Entry(name, model, null, false);
    }

    public static Entry notPriced(String name, String why) {
      return new Entry(name, null, why, false);
    }

    public static Entry broken(String name, String why) {
      return new Entry(name, null, why, true);
    }

    /** The same entry, pricing only calls sent to {@code provider}. */
    public Entry onlyFor(String provider) {
      return new Entry(name, model, skipped, broken, provider);
    }
  }

  /** 2 for a model's own entry (unprefixed), 1 for its maker's, 0 for a reseller's. */
  private static int rank(String forProvider) {
    return forProvider == null ? 2 : Providers.isMaker(forProvider) ? 1 : 0;
  }

  private static String prefixOf(String key) {
    int slash = key.indexOf('/');
    return slash > 0 ? key.substring(0, slash).toLowerCase(Locale.ROOT) : null;
  }

  /** Converts one entry of LiteLLM's map, checking every rate it has. */
  public static Entry entry(String key, JsonNode m, LocalDate from) {
    String provider = m.path("litellm_provider").asText("");
    String mode = m.path("mode").asText("chat");
    // LiteLLM keys a model's own entry bare (gpt-4o-mini) and every provider's with the prefix it
    // routes by (azure/gpt-4o-mini, deepseek/deepseek-v4-pro, vertex_ai/gemini-2.5-pro,
    // replicate/xai/grok-4): that prefix names the provider the entry prices.
    String name = key.toLowerCase(Locale.ROOT);
    int slash = name.indexOf('/');
    String prefix = slash > 0 ? name.substring(0, slash) : null;
    if (prefix != null) {
      name = name.substring(slash + 1);
    }
    if (!TOKEN_MODES.contains(mode)) {
      return Entry.notPriced(
          name,
          "mode "
              + mode
              + ": priced "
              + OTHER_UNITS.getOrDefault(mode, "by something other than tokens")
              + "; the catalog prices tokens");
    }
    if (!m.has("input_cost_per_token")) {
      return Entry.notPriced(
          name, "no per-token input price (priced per image, second or request)");
    }
    try {
      ObjectNode model = model(m, provider, from);
      if (mode.equals("embedding")) {
        model.put("kind", ModelPrice.EMBEDDING);
      }
      Entry entry = Entry.of(name, model);
      return prefix == null ? entry : entry.onlyFor(prefix);
    } catch (PriceNumbers.Bad bad) {
      // Never in part: a model with one unusable rate would be priced $0 for that part.
      return Entry.broken(name, "unusable rate " + bad.getMessage());
    }
  }

  private static ObjectNode model(JsonNode m, String provider, LocalDate from)
      throws PriceNumbers.Bad {
    ObjectNode v = NODES.objectNode();
    v.put("from", from.toString());
    v.put("source", "LiteLLM model_prices_and_context_window.json, imported " + from);
    rate(v, "input", m, "input_cost_per_token");
    rate(v, "cached_input", m, "cache_read_input_token_cost");
    rate(v, "cache_write_5m", m, "cache_creation_input_token_cost");
    rate(v, "cache_write_1h", m, "cache_creation_input_token_cost_above_1hr");
    rate(v, "output", m, "output_cost_per_token");
    rate(v, "reasoning", m, "output_cost_per_reasoning_token");
    rate(v, "audio_input", m, "input_cost_per_audio_token");
    rate(v, "audio_output", m, "output_cost_per_audio_token");
    ObjectNode tiers = NODES.objectNode();
    for (String[] tier :
        new String[][] {{"batch", "_batches"}, {"flex", "_flex"}, {"priority", "_priority"}}) {
      ObjectNode t = NODES.objectNode();
      rate(t, "input", m, "input_cost_per_token" + tier[1]);
      rate(t, "cached_input", m, "cache_read_input_token_cost" + tier[1]);
      rate(t, "output", m, "output_cost_per_token" + tier[1]);
      if (t.has("input")) {
        tiers.set(tier[0], t);
      }
    }
    if (!tiers.isEmpty()) {
      v.set("tiers", tiers);
    }
    longContext(m, v);
    ObjectNode model = NODES.objectNode();
    model.put("provider", provider.isEmpty() ? "unknown" : provider);
    ArrayNode versions = model.putArray("versions");
    versions.add(v);
    return model;
  }

  /** LiteLLM's "above_Nk_tokens" rates become a threshold with input and output multipliers. */
  private static void longContext(JsonNode m, ObjectNode v) throws PriceNumbers.Bad {
    for (Iterator<String> names = m.fieldNames(); names.hasNext(); ) {
      Matcher a = ABOVE.matcher(names.next());
      if (!a.matches()) {
        continue;
      }
      BigDecimal input = perMillion(m, "input_cost_per_token");
      BigDecimal longInput = perMillion(m, a.group());
      if (input == null || longInput == null || input.signum() == 0) {
        return;
      }
      ObjectNode lc = v.putObject("long_context");
      lc.put("threshold", Long.parseLong(a.group(1)) * 1000);
      lc.put("input_multiplier", ratio(longInput, input));
      BigDecimal output = perMillion(m, "output_cost_per_token");
      BigDecimal longOutput =
          perMillion(m, "output_cost_per_token_above_" + a.group(1) + "k_tokens");
      if (output != null && longOutput != null && output.signum() > 0) {
        lc.put("output_multiplier", ratio(longOutput, output));
      }
      return;
    }
  }

  private static void rate(ObjectNode into, String key, JsonNode m, String field)
      throws PriceNumbers.Bad {
    BigDecimal perMillion = perMillion(m, field);
    if (perMillion != null) {
      into.put(key, perMillion);
    }
  }

  /** A per-token rate as per 1M tokens; null when absent, {@link PriceNumbers.Bad} if unusable. */
  private static BigDecimal perMillion(JsonNode m, String field) throws PriceNumbers.Bad {
    BigDecimal perToken = PriceNumbers.read(m, field, PriceNumbers.MAX_PER_TOKEN);
    if (perToken == null) {
      return null;
    }
    BigDecimal d = perToken.multiply(MILLION).stripTrailingZeros();
    return d.scale() < 0 ? d.setScale(0) : d;
  }

  private static BigDecimal ratio(BigDecimal a, BigDecimal b) {
    return a.divide(b, 6, RoundingMode.HALF_EVEN).stripTrailingZeros();
  }
}
