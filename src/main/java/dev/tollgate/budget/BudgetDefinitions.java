package dev.tollgate.budget;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.tollgate.call.Money;
import dev.tollgate.config.ConfigException;
import dev.tollgate.config.Section;
import dev.tollgate.config.YamlFile;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Budget definitions, as budgets.yaml lists them and the admin API takes them:
 *
 * <pre>
 * - name: search-monthly
 *   scope: team:search          # team:, project:, key:, user:NAME or tag:NAME=VALUE
 *   limit_usd: 1000
 *   period: month               # day, week or month; or from: / to: dates
 *   timezone: UTC
 *   enforce: hard               # hard: refuse past the limit; soft: only alert
 *   alerts: [50, 80, 100, forecast]   # forecast: the period-end forecast crosses the limit
 * </pre>
 */
public final class BudgetDefinitions {
  /** The largest limit: well inside a pico-dollar long, and below every saturated estimate. */
  static final BigDecimal MAX_LIMIT_USD = BigDecimal.valueOf(4_000_000);

  // Numbers as written: a double would round 1e-999999999 to a limit of $0.
  private static final ObjectMapper JSON =
      new ObjectMapper()
          .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

  private BudgetDefinitions() {}

  /** budgets.yaml: a missing file is no budgets; a bad entry stops the (re)load. */
  public static List<Budget> load(Path file, List<Integer> defaultAlerts) {
    JsonNode root = YamlFile.read(file, "budgets file", true);
    if (root == null || root.isNull() || root.isMissingNode()) {
      return List.of();
    }
    if (!root.isArray()) {
      throw new ConfigException("budgets file " + file + ": must be a list of budgets");
    }
    List<Budget> out = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (int i = 0; i < root.size(); i++) {
      Budget b = parse(new Section("budgets[" + i + "]", root.get(i)), null, defaultAlerts, true);
      if (!names.add(b.name())) {
        throw new ConfigException("budgets[" + i + "].name: '" + b.name() + "' is used twice");
      }
      out.add(b);
    }
    return out;
  }

  /**
   * The budgets in force: budgets.yaml's first (changed only in the file), then those the API
   * stored in the ledger under names the file does not use.
   *
   * @param definitions the ledger's, name → JSON
   * @param onInvalid told of a stored definition that does not parse (it is left out)
   */
  public static List<Budget> inForce(
      List<Budget> fromFile,
      Map<String, String> definitions,
      List<Integer> defaultAlerts,
      Consumer<ConfigException> onInvalid) {
    List<Budget> all = new ArrayList<>(fromFile);
    Set<String> names = new HashSet<>();
    fromFile.forEach(b -> names.add(b.name()));
    for (Map.Entry<String, String> e : definitions.entrySet()) {
      if (names.add(e.getKey())) {
        try {
          all.add(fromJson(e.getKey(), e.getValue(), defaultAlerts));
        } catch (ConfigException bad) {
          onInvalid.accept(bad);
        }
      }
    }
    return all;
  }

  /** One definition stored by the API (JSON), named {@code name}. */
  public static Budget fromJson(String name, String json, List<Integer> defaultAlerts) {
    try {
      return parse(new Section(name, JSON.readTree(json)), name, defaultAlerts, false);
    } catch (IOException e) {
      throw new ConfigException(name + ": not a JSON object: " + e.getMessage());
    }
  }

  /**
   * @param name the name when the caller gives it (the API path), else read from the entry
   */
  static Budget parse(Section s, String name, List<Integer> defaultAlerts, boolean fromFile) {
    String n = name != null ? name : s.string("name", null);
    if (n == null || n.isBlank() || !n.matches("[A-Za-z0-9_.:-]{1,64}")) {
      throw new ConfigException(
          s.keyPath("name") + ": 1 to 64 letters, digits, or _ . : -, got '" + n + "'");
    }
    if (name != null && s.has("name") && !name.equals(s.string("name", null))) {
      throw new ConfigException(s.keyPath("name") + ": must match the name in the path");
    }
    Scope scope;
    ZoneId zone;
    Period period;
    try {
      scope = Scope.parse(s.string("scope", null));
      zone = ZoneId.of(s.string("timezone", "UTC"));
      period =
          s.has("from") || s.has("to")
              ? Period.range(
                  LocalDate.parse(s.string("from", "")), LocalDate.parse(s.string("to", "")), zone)
              : Period.calendar(s.string("period", "month"), zone);
    } catch (IllegalArgumentException | DateTimeException e) {
      throw new ConfigException(s.keyPath("scope/period") + ": " + e.getMessage());
    }
    BigDecimal limit = s.decimal("limit_usd", null);
    // Kept in pico-dollars in a 64-bit column, to the twelfth decimal.
    if (limit == null
        || limit.signum() < 0
        || limit.compareTo(MAX_LIMIT_USD) > 0
        || limit.stripTrailingZeros().scale() > 12) {
      throw new ConfigException(
          s.keyPath("limit_usd")
              + ": a limit in USD from 0 to "
              + MAX_LIMIT_USD.toPlainString()
              + ", with at most 12 decimals, is required");
    }
    String enforce = s.string("enforce", "hard");
    if (!enforce.equals("hard") && !enforce.equals("soft")) {
      throw new ConfigException(
          s.keyPath("enforce") + ": must be hard or soft, got '" + enforce + "'");
    }
    List<Integer> alerts = new ArrayList<>();
    if (s.has("alerts")) {
      for (String a : s.strings("alerts")) {
        if (a.trim().equals("forecast")) {
          alerts.add(Budget.FORECAST);
          continue;
        }
        try {
          int pct = Integer.parseInt(a.trim());
          if (pct < 1 || pct > 1000) {
            throw new NumberFormatException();
          }
          alerts.add(pct);
        } catch (NumberFormatException e) {
          throw new ConfigException(
              s.keyPath("alerts") + ": percentages from 1 to 1000, or forecast, got '" + a + "'");
        }
      }
    } else {
      alerts.addAll(defaultAlerts);
    }
    s.string("name", null);
    s.rejectUnknownKeys();
    return new Budget(
        n, scope, Money.toPico(limit), period, enforce.equals("hard"), alerts, fromFile);
  }

  /** A definition as the API stores and lists it (JSON). */
  public static String toJson(Budget b) {
    var o = JSON.createObjectNode();
    o.put("scope", b.scope().toString());
    o.put("limit_usd", Money.fromPico(b.limitPico()).stripTrailingZeros().toPlainString());
    if (b.period().kind().equals("range")) {
      o.put("from", b.period().from().toString());
      o.put("to", b.period().to().toString());
    } else {
      o.put("period", b.period().kind());
    }
    o.put("timezone", b.period().zone().getId());
    o.put("enforce", b.hard() ? "hard" : "soft");
    var alerts = o.putArray("alerts");
    b.alerts()
        .forEach(
            a -> {
              if (a == Budget.FORECAST) {
                alerts.add("forecast");
              } else {
                alerts.add(a);
              }
            });
    return o.toString();
  }
}
