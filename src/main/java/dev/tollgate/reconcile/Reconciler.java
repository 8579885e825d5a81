package dev.tollgate.reconcile;

import dev.tollgate.call.Call;
import dev.tollgate.call.TokenKind;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Compares the provider's bill with the ledger's calls per day, model and tier (a bill's {@code
 * priority | gpt-5, input} with the calls served at priority). Snapshot names are compared without
 * their date ({@code gpt-4o-2024-08-06} is {@code gpt-4o}), as the two sides do not always name the
 * same snapshot. Differences within the tolerance (rounding) are matches.
 */
public final class Reconciler {
  private static final Pattern SNAPSHOT = Pattern.compile("-\\d{4}-\\d{2}-\\d{2}$");

  /**
   * @param toleranceUsd a difference in dollars this small is rounding, whatever the day's size
   * @param tolerancePercent ... as is one this small relative to the bill (dollars and tokens)
   */
  public record Tolerance(BigDecimal toleranceUsd, BigDecimal tolerancePercent) {
    public static final Tolerance DEFAULT =
        new Tolerance(new BigDecimal("0.01"), new BigDecimal("1"));
  }

  private static final class Side {
    long tokens;
    BigDecimal usd = BigDecimal.ZERO;
    boolean allBatch = true;
    boolean seen;
  }

  private Reconciler() {}

  static String model(String name) {
    return name == null || name.isBlank()
        ? "(none)"
        : SNAPSHOT.matcher(name.trim()).replaceFirst("");
  }

  /**
   * @param calls the ledger's calls sent to this provider in the same days
   */
  public static List<Finding> compare(ProviderBill bill, List<Call> calls, Tolerance tolerance) {
    return compare(bill, calls, tolerance, Map.of());
  }

  /**
   * @param projectTeams OpenAI project id → the Tollgate team its calls are charged to; when given,
   *     each day, model and tier is compared per team as well
   * @return one finding per day, model and tier; then, with {@code projectTeams}, one per day,
   *     model, tier and team; then each line item of a shape not understood, never dropped
   */
  public static List<Finding> compare(
      ProviderBill bill, List<Call> calls, Tolerance tolerance, Map<String, String> projectTeams) {
    List<Finding> out = new ArrayList<>(compareBy(bill, calls, tolerance, null));
    if (!projectTeams.isEmpty()) {
      out.addAll(compareBy(bill, calls, tolerance, projectTeams));
    }
    Map<String, BigDecimal> unread = new TreeMap<>();
    for (ProviderBill.Cost c : bill.costs()) {
      if (!c.item().understood()) {
        unread.merge(c.day() + "|" + c.lineItem(), c.usd(), BigDecimal::add);
      }
    }
    unread.forEach(
        (key, usd) -> {
          int bar = key.indexOf('|');
          out.add(
              new Finding(
                  LocalDate.parse(key.substring(0, bar)),
                  key.substring(bar + 1).isBlank() ? "(no line item)" : key.substring(bar + 1),
                  null,
                  null,
                  Finding.Kind.UNREAD,
                  "unknown_line_item",
                  0,
                  0,
                  usd,
                  BigDecimal.ZERO));
        });
    return out;
  }

  /** Day × model × tier (× team when {@code projectTeams} is not null). */
  private static List<Finding> compareBy(
      ProviderBill bill, List<Call> calls, Tolerance tolerance, Map<String, String> projectTeams) {
    boolean byTeam = projectTeams != null;
    java.util.Set<String> teams =
        byTeam ? new java.util.HashSet<>(projectTeams.values()) : java.util.Set.of();
    Map<String, Side> provider = new TreeMap<>();
    Map<String, Side> ledger = new TreeMap<>();
    for (ProviderBill.Usage u : bill.usage()) {
      Side s =
          provider.computeIfAbsent(
              key(u.day(), u.model(), u.tier(), byTeam ? team(projectTeams, u.projectId()) : null),
              k -> new Side());
      s.tokens += u.inputTokens() + u.outputTokens();
      s.allBatch &= u.batch();
      s.seen = true;
    }
    for (ProviderBill.Cost c : bill.costs()) {
      LineItem item = c.item();
      if (!item.understood()) {
        continue; // listed on their own (compare), never folded into a model
      }
      Side s =
          provider.computeIfAbsent(
              key(
                  c.day(),
                  item.model(),
                  item.tier(),
                  byTeam ? team(projectTeams, c.projectId()) : null),
              k -> new Side());
      s.usd = s.usd.add(c.usd());
      s.seen = true;
    }
    for (Call c : calls) {
      String team = c.attribution().team();
      Side s =
          ledger.computeIfAbsent(
              key(
                  LocalDate.parse(c.day()),
                  c.model(),
                  c.tier().priced().name(),
                  byTeam ? (teams.contains(team) ? team : UNMAPPED) : null),
              k -> new Side());
      for (TokenKind k : TokenKind.values()) {
        s.tokens += k.of(c.usage());
      }
      s.usd = s.usd.add(c.cost().total());
      s.seen = true;
    }
    TreeMap<String, Boolean> keys = new TreeMap<>();
    provider.keySet().forEach(k -> keys.put(k, true));
    ledger.keySet().forEach(k -> keys.put(k, true));
    List<Finding> out = new ArrayList<>();
    for (String key : keys.keySet()) {
      String[] parts = key.split("\\|", -1);
      Side p = provider.getOrDefault(key, new Side());
      Side l = ledger.getOrDefault(key, new Side());
      out.add(
          finding(
              LocalDate.parse(parts[0]),
              parts[1],
              parts[2],
              parts[3].isEmpty() ? null : parts[3],
              p,
              l,
              tolerance));
    }
    return out;
  }

  private static final String UNMAPPED = "(unmapped)";

  private static String key(LocalDate day, String model, String tier, String team) {
    return day + "|" + model(model) + "|" + tier + "|" + (team == null ? "" : team);
  }

  private static String team(Map<String, String> projectTeams, String projectId) {
    return projectId == null ? UNMAPPED : projectTeams.getOrDefault(projectId, UNMAPPED);
  }

  private static Finding finding(
      LocalDate day, String model, String tier, String team, Side p, Side l, Tolerance t) {
    Finding.Kind kind;
    String cause;
    if (!l.seen || (l.tokens == 0 && l.usd.signum() == 0 && p.seen)) {
      kind = Finding.Kind.ONLY_PROVIDER;
      cause = p.allBatch && p.tokens > 0 ? "batch_not_through_tollgate" : "bypass";
    } else if (!p.seen) {
      kind = Finding.Kind.ONLY_LEDGER;
      cause = "not_billed_yet";
    } else {
      boolean tokensMatch = withinTokens(l.tokens - p.tokens, p.tokens, t);
      boolean usdMatch = withinUsd(l.usd.subtract(p.usd), p.usd, t);
      if (tokensMatch && usdMatch) {
        kind = Finding.Kind.MATCHED;
        cause = null;
      } else {
        kind = Finding.Kind.DRIFT;
        cause =
            !tokensMatch ? (l.tokens < p.tokens ? "missing_calls" : "ledger_has_more") : "price";
      }
    }
    return new Finding(day, model, tier, team, kind, cause, p.tokens, l.tokens, p.usd, l.usd);
  }

  private static boolean withinTokens(long diff, long base, Tolerance t) {
    return BigDecimal.valueOf(Math.abs(diff))
            .multiply(BigDecimal.valueOf(100))
            .compareTo(t.tolerancePercent().multiply(BigDecimal.valueOf(base)))
        <= 0;
  }

  private static boolean withinUsd(BigDecimal diff, BigDecimal base, Tolerance t) {
    BigDecimal abs = diff.abs();
    return abs.compareTo(t.toleranceUsd()) <= 0
        || abs.multiply(BigDecimal.valueOf(100))
                .compareTo(t.tolerancePercent().multiply(base.abs()))
            <= 0;
  }
}
