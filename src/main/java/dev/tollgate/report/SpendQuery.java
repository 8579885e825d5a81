package dev.tollgate.report;

import dev.tollgate.call.Dimension;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A spend report request. Dates are UTC days, {@code to} exclusive.
 *
 * @param groupBy dimension labels and {@code tag:<name>} keys, in column order
 * @param whatIfModel reprice the calls as if this model had served them, or null
 * @param whatIfTier reprice the calls as if served at this tier, or null
 * @param filters only the calls with these values (by group-by key; {@link #NONE} for a call
 *     without one)
 */
public record SpendQuery(
    LocalDate from,
    LocalDate to,
    List<String> groupBy,
    String whatIfModel,
    String whatIfTier,
    Map<String, String> filters) {
  /** The group of the calls without a value for a dimension (no project, no key, ...). */
  public static final String NONE = "(none)";

  /** The group-by keys besides {@code tag:<name>}: one per {@link Dimension}. */
  public static final Set<String> KEYS =
      Arrays.stream(Dimension.values())
          .map(Dimension::label)
          .collect(Collectors.toUnmodifiableSet());

  private static final String TAG = "tag:";

  /** A query that cannot be run; names the parameter. */
  public static final class Invalid extends RuntimeException {
    private final String param;

    public Invalid(String param, String message) {
      super(message);
      this.param = param;
    }

    public String param() {
      return param;
    }
  }

  public SpendQuery(
      LocalDate from, LocalDate to, List<String> groupBy, String whatIfModel, String whatIfTier) {
    this(from, to, groupBy, whatIfModel, whatIfTier, Map.of());
  }

  public SpendQuery {
    groupBy = List.copyOf(groupBy);
    filters = Map.copyOf(filters);
    if (!to.isAfter(from)) {
      throw new Invalid(
          "to", "'to' (" + to + ") must be after 'from' (" + from + "); 'to' is exclusive");
    }
  }

  public boolean whatIf() {
    return whatIfModel != null || whatIfTier != null;
  }

  public boolean needsRawCalls() {
    // Tags are kept on each call only; providers and statuses are in the rollups too (the ledger
    // reads the calls for them over days the rollups do not cover).
    return whatIf()
        || groupBy.stream().anyMatch(SpendQuery::rawOnly)
        || filters.keySet().stream().anyMatch(SpendQuery::rawOnly);
  }

  private static boolean rawOnly(String key) {
    return tagName(key) != null;
  }

  /**
   * The group-by keys as dimensions; only for a query without tags (see {@link #needsRawCalls}).
   */
  public List<Dimension> dimensions() {
    return groupBy.stream().map(k -> Dimension.byLabel(k).orElseThrow()).toList();
  }

  /** The filters by dimension; only for a query without tag filters ({@link #needsRawCalls}). */
  public Map<Dimension, String> dimensionFilters() {
    Map<Dimension, String> out = new java.util.EnumMap<>(Dimension.class);
    filters.forEach((k, v) -> out.put(Dimension.byLabel(k).orElseThrow(), v));
    return out;
  }

  /** This query keeping only the calls whose {@code key} is {@code value} ({@link #NONE}: none). */
  public SpendQuery where(String key, String value) {
    String k = key(key, "filter");
    if (value == null || value.isBlank()) {
      throw new Invalid(k, "filter " + k + " needs a value (" + NONE + " for calls without one)");
    }
    Map<String, String> f = new java.util.LinkedHashMap<>(filters);
    f.put(k, value.trim());
    return new SpendQuery(from, to, groupBy, whatIfModel, whatIfTier, f);
  }

  /** The value a call has for {@code key} as reports show it: {@link #NONE} for none. */
  public static String shown(String value) {
    return value == null || value.isEmpty() ? NONE : value;
  }

  /** The tag a {@code tag:<name>} key groups by, or null for a dimension key. */
  static String tagName(String key) {
    return key.startsWith(TAG) ? key.substring(TAG.length()) : null;
  }

  /** The first day of the current UTC month: where a report starts when no range is given. */
  public static LocalDate thisMonth() {
    return LocalDate.now(java.time.ZoneOffset.UTC).withDayOfMonth(1);
  }

  /** Parses the API's and CLI's textual parameters; each bad one is {@link Invalid}. */
  public static SpendQuery parse(String from, String to, String groupBy, String whatIf) {
    LocalDate f = date("from", from);
    LocalDate t = date("to", to);
    List<String> keys = new ArrayList<>();
    if (groupBy != null && !groupBy.isBlank()) {
      for (String raw : groupBy.split(",")) {
        String k = key(raw, "group_by");
        if (!keys.contains(k)) {
          keys.add(k);
        }
      }
    }
    String model = null;
    String tier = null;
    if (whatIf != null && !whatIf.isBlank()) {
      String[] kv = whatIf.split("=", 2);
      if (kv.length != 2
          || kv[1].isBlank()
          || !(kv[0].trim().equals("model") || kv[0].trim().equals("tier"))) {
        throw new Invalid(
            "what_if", "what-if must be model=<name> or tier=<tier>, got '" + whatIf + "'");
      }
      if (kv[0].trim().equals("model")) {
        model = kv[1].trim();
      } else {
        tier = kv[1].trim();
      }
    }
    return new SpendQuery(f, t, keys, model, tier);
  }

  /**
   * A group-by or filter key as given: a dimension label ({@code tier} for {@code service_tier}) in
   * any case, or {@code tag:<name>} (tag names keep their case); {@link Invalid} otherwise.
   */
  static String key(String raw, String param) {
    String trimmed = raw.trim();
    String k = trimmed.toLowerCase(Locale.ROOT);
    if (k.equals("tier")) {
      return "service_tier";
    }
    if (KEYS.contains(k)) {
      return k;
    }
    if (k.startsWith(TAG) && k.length() > TAG.length()) {
      return TAG + trimmed.substring(TAG.length());
    }
    throw new Invalid(
        param,
        "Unknown "
            + param
            + " key '"
            + trimmed
            + "': use "
            + String.join(", ", KEYS.stream().sorted().toList())
            + " or tag:<name>");
  }

  private static LocalDate date(String param, String text) {
    if (text == null || text.isBlank()) {
      throw new Invalid(param, "'" + param + "' is required, as YYYY-MM-DD (UTC)");
    }
    try {
      return LocalDate.parse(text.trim());
    } catch (DateTimeParseException e) {
      throw new Invalid(param, "'" + param + "' must be a date YYYY-MM-DD, got '" + text + "'");
    }
  }
}
