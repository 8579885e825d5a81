package dev.tollgate.reconcile;

import dev.tollgate.call.ServiceTier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One line item of OpenAI's Costs API, read: {@code gpt-4o-2024-08-06, input} (the default tier; a
 * bare model id such as {@code text-embedding-3-small} bills all of that model), {@code priority |
 * gpt-5-2025-08-07, cached input} (a tier word before a bar: {@code priority}, {@code fast}, {@code
 * flex}, {@code batch}, or any future one), or a shape not understood.
 *
 * @param tier the tier it bills, normalised as calls are ({@code fast} is {@code priority}); null
 *     when the shape is not understood
 * @param model the model snapshot it bills, or null when not understood
 * @param meter what it meters ({@code input}, {@code cached input}, {@code output}, ...; empty for
 *     a bare model id), or null when not understood
 * @param text the line item as the bill wrote it
 */
public record LineItem(String tier, String model, String meter, String text) {
  // A tier is one word before a bar; "web search tool calls | x" is not a tier.
  private static final Pattern TIERED =
      Pattern.compile("^\\s*([A-Za-z][A-Za-z0-9_-]*)\\s*\\|(.*)$");
  // A model id (no spaces), then a comma and what it meters, or nothing (text-embedding-3-small).
  private static final Pattern MODEL_METER =
      Pattern.compile("^\\s*([A-Za-z0-9][A-Za-z0-9._:/-]*)\\s*(?:,\\s*(\\S.*?))?\\s*$");

  public static LineItem parse(String text) {
    String t = text == null ? "" : text;
    String tier = "default";
    String rest = t;
    Matcher tiered = TIERED.matcher(t);
    if (tiered.matches()) {
      tier = tiered.group(1);
      rest = tiered.group(2);
    }
    Matcher m = MODEL_METER.matcher(rest);
    if (!m.matches()) {
      return new LineItem(null, null, null, t);
    }
    String meter = m.group(2) == null ? "" : m.group(2);
    if (!tiered.matches() && meter.toLowerCase(java.util.Locale.ROOT).startsWith("batch ")) {
      tier = "batch"; // the older shape: "gpt-4o-mini, batch input"
    }
    return new LineItem(tier(tier), m.group(1), meter, t);
  }

  /** A tier as the bill or a call names it, as reconciliation compares it. */
  static String tier(String raw) {
    return ServiceTier.of(raw).priced().name();
  }

  public boolean understood() {
    return model != null;
  }
}
