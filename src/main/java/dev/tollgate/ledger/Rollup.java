package dev.tollgate.ledger;

import dev.tollgate.call.Call;
import dev.tollgate.call.Dimension;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/**
 * One spend rollup: a table of daily totals by a few dimensions, kept in the same transaction as
 * the calls (so it is exactly as right as they are) and read instead of them whenever a report's
 * groups and filters are among its dimensions. Unlike {@code daily_spend}, no rollup is keyed by
 * end user or tag, so each stays small however many calls a day brings: its size follows the teams,
 * keys and models in use, not the traffic. {@link #ALL} is smallest first; a report reads the first
 * that answers it.
 *
 * @param table its table ({@code tollgate/ledger/rollups.sql}, V15 for {@code rollup_detail}'s
 *     price version)
 * @param dims its key after {@code day}, in column order
 * @param byPriceVersion whether the key ends with the call's price version: only {@code
 *     rollup_detail}'s, which the FOCUS export reads (a row is one price point there); reports sum
 *     across it like any key column they did not ask for
 */
record Rollup(String table, List<Dimension> dims, boolean byPriceVersion) {
  Rollup(String table, List<Dimension> dims) {
    this(table, dims, false);
  }

  static final Rollup TEAM =
      new Rollup("rollup_team", List.of(Dimension.TEAM, Dimension.PROVIDER, Dimension.STATUS));

  /**
   * V18: the models across teams, for the console's top models and any grouping by model, tier or
   * provider without a team: a day's rows follow the models in use, not the teams times the models.
   */
  static final Rollup MODEL_TOTAL =
      new Rollup(
          "rollup_model_total",
          List.of(Dimension.MODEL, Dimension.SERVICE_TIER, Dimension.PROVIDER, Dimension.STATUS));

  static final Rollup KEY =
      new Rollup(
          "rollup_key",
          List.of(Dimension.TEAM, Dimension.PROJECT, Dimension.KEY, Dimension.STATUS));

  /**
   * Keyed (team, project, day, end_user): read for one team's project, whose users may be
   * thousands, without the other teams' rows. On PostgreSQL its key also carries the counters (V19)
   * so that those rows are read from the index alone, in key order, not one heap page each.
   */
  static final Rollup USER =
      new Rollup("rollup_user", List.of(Dimension.TEAM, Dimension.PROJECT, Dimension.USER));

  static final Rollup MODEL =
      new Rollup(
          "rollup_model",
          List.of(
              Dimension.TEAM,
              Dimension.MODEL,
              Dimension.SERVICE_TIER,
              Dimension.PROVIDER,
              Dimension.STATUS));

  static final Rollup DETAIL =
      new Rollup(
          "rollup_detail",
          List.of(
              Dimension.TEAM,
              Dimension.PROJECT,
              Dimension.KEY,
              Dimension.MODEL,
              Dimension.SERVICE_TIER,
              Dimension.PROVIDER,
              Dimension.STATUS),
          true);

  /**
   * V21: spend by the hour (the console's "today", a spike's hour), by team. Its key is {@code day}
   * then the hour's label, so a range of days is read as from every other rollup. Only a grouping
   * or filter by {@link Dimension#HOUR} reads the hourly rollups (they are last in {@link #ALL}),
   * and only from {@code rollup_coverage.hour_from} on: V21 filled them from the calls retention
   * had kept whole. By team and by model apart, as the daily ones begin: together they would be
   * nearly a row per call an hour (measured: 0.7 at the bench's spread), for a view the calls can
   * give.
   */
  static final Rollup HOUR_TEAM =
      new Rollup(
          "rollup_hour_team",
          List.of(Dimension.HOUR, Dimension.TEAM, Dimension.PROVIDER, Dimension.STATUS));

  /** V21: spend by the hour by model, across teams (see {@link #HOUR_TEAM}). */
  static final Rollup HOUR_MODEL =
      new Rollup(
          "rollup_hour_model",
          List.of(
              Dimension.HOUR,
              Dimension.MODEL,
              Dimension.SERVICE_TIER,
              Dimension.PROVIDER,
              Dimension.STATUS));

  /** Every rollup, smallest first: what the writer keeps and a report picks from. */
  static final List<Rollup> ALL =
      List.of(TEAM, MODEL_TOTAL, KEY, USER, MODEL, DETAIL, HOUR_TEAM, HOUR_MODEL);

  /** The hourly rollups (V21), which answer from {@code rollup_coverage.hour_from} on. */
  static final List<Rollup> HOURLY = List.of(HOUR_TEAM, HOUR_MODEL);

  /**
   * The rollups V12 created, which V15 fills on a ledger that has none yet: the later ones do not
   * exist at that point of the upgrade and are filled by the migration that creates them.
   */
  static final List<Rollup> SINCE_V12 = List.of(TEAM, KEY, USER, MODEL, DETAIL);

  /** The key column {@link #byPriceVersion} adds. */
  static final String PRICE_VERSION = "price_version";

  /** Whether it holds every dimension asked (a day or month is always there). */
  boolean answers(Collection<Dimension> asked) {
    for (Dimension d : asked) {
      if (d != Dimension.DAY && d != Dimension.MONTH && !dims.contains(d)) {
        return false;
      }
    }
    return true;
  }

  /**
   * Writes a call's row key into {@code into} ({@link RowKey}): its day, each dimension's value (""
   * for none), maybe its price version; returns how many values.
   */
  int fill(String[] into, Call c) {
    int n = 0;
    into[n++] = c.day();
    for (Dimension d : dims) {
      into[n++] = LedgerRows.text(d.of(c));
    }
    if (byPriceVersion) {
      into[n++] = LedgerRows.text(c.charge().priceVersion());
    }
    return n;
  }

  /** The upsert adding a tally to a row: {@link #bind} fills it. */
  String upsert() {
    List<String> keyColumns = new ArrayList<>();
    keyColumns.add("day");
    dims.forEach(d -> keyColumns.add(column(d)));
    if (byPriceVersion) {
      keyColumns.add(PRICE_VERSION);
    }
    List<String> counters = DailyCounters.COLUMNS;
    return "INSERT INTO "
        + table
        + " ("
        + String.join(", ", keyColumns)
        + ", "
        + String.join(", ", counters)
        + ") VALUES ("
        + String.join(",", Collections.nCopies(keyColumns.size() + counters.size(), "?"))
        + ") ON CONFLICT ("
        + String.join(", ", keyColumns)
        + ") DO UPDATE SET "
        + String.join(
            ", ",
            counters.stream().map(c -> c + " = " + table + "." + c + " + excluded." + c).toList());
  }

  void bind(java.sql.PreparedStatement p, List<String> key, dev.tollgate.call.Tally t)
      throws java.sql.SQLException {
    int i = 1;
    for (String k : key) {
      p.setString(i++, k);
    }
    DailyCounters.bind(p, i, t);
  }

  /** A dimension's column, in the rollups and {@code daily_spend} alike. */
  static String column(Dimension d) {
    return switch (d) {
      case TEAM -> "team";
      case PROJECT -> "project";
      case USER -> "end_user";
      case KEY -> "key_name";
      case MODEL -> "model";
      case API -> "api";
      case SERVICE_TIER -> "service_tier";
      case PROVIDER -> "provider";
      case STATUS -> "status";
      case DAY -> "day";
      case HOUR -> "hour";
      case MONTH -> "substr(day, 1, 7)";
    };
  }
}
