package dev.tollgate.report;

import dev.tollgate.call.Dimension;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A spend report request. Dates are UTC days, {@code to} exclusive.
 *
 * @param whatIfModel reprice the calls as if this model had served them, or null
 * @param whatIfTier reprice the calls as if served at this tier, or null
 */
public record SpendQuery(
    LocalDate from, LocalDate to, List<String> groupBy, String whatIfModel, String whatIfTier) {
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

  public SpendQuery {
    groupBy = List.copyOf(groupBy);
    if (!to.isAfter(from)) {
      throw new Invalid(
          "to", "'to' (" + to + ") must be after 'from' (" + from + "); 'to' is exclusive");
    }
  }

  public boolean whatIf() {
    return whatIfModel != null || whatIfTier != null;
  }

  public boolean needsRawCalls() {
    // Tags and providers are kept on each call, not in the daily totals.
    return whatIf() || groupBy.stream().anyMatch(g -> tagName(g) != null || g.equals("provider"));
  }

  /**
   * The group-by keys as dimensions; only for a query without tags (see {@link #needsRawCalls}).
   */
  public List<Dimension> dimensions() {
    return groupBy.stream().map(k -> Dimension.byLabel(k).orElseThrow()).toList();
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
        String k = raw.trim().toLowerCase(Locale.ROOT);
        boolean tag = k.startsWith(TAG) && k.length() > TAG.length();
        if (!KEYS.contains(k) && !tag) {
          throw new Invalid(
              "group_by",
              "Unknown group_by key '"
                  + raw.trim()
                  + "': use "
                  + String.join(", ", KEYS.stream().sorted().toList())
                  + " or tag:<name>");
        }
        if (tag) {
          k = TAG + raw.trim().substring(TAG.length()); // tag names keep their case
        }
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
