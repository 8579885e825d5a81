package dev.tollgate.console;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a viewer may do on the admin API (the admin may do everything): read, never act; read its
 * own team's spend, calls, budgets, forecasts and exports, never another's. A query for another
 * team is refused (403), never answered empty; a query naming no team is answered for the viewer's
 * team. Netty-free: paths and parameters in, a decision out.
 */
public final class Access {
  /** Reads scoped to a team: the viewer's team is added, another team is refused. */
  private static final Set<String> TEAM_SCOPED =
      Set.of("/admin/spend", "/admin/calls", "/admin/forecast", "/admin/export/focus");

  /** Reads with no team's data in them. */
  private static final Set<String> OPEN =
      Set.of("/admin/whoami", "/admin/prices/sources", "/admin/prices/models");

  /** Reads across every team: for the admin and viewers of every team. */
  private static final Set<String> ALL_TEAMS = Set.of("/admin/unpriced", "/admin/reconcile");

  private Access() {}

  /**
   * Allowed (with the parameters to answer it with), or refused with the status and why.
   *
   * @param params the parameters to use: the request's, with a team viewer's team added
   * @param onlyTeam the team the answer must be limited to (budgets), or null
   */
  public record Decision(
      int status, String refusal, Map<String, List<String>> params, String onlyTeam) {
    public boolean allowed() {
      return refusal == null;
    }
  }

  public static Decision decide(
      Principal who, String method, String path, Map<String, List<String>> params) {
    if (who.admin()) {
      return new Decision(200, null, params, null);
    }
    boolean read = method.equals("GET") || method.equals("HEAD");
    if (!read) {
      return refuse(
          403, "Viewer '" + who.name() + "' may read, not change: this needs the admin token");
    }
    if (OPEN.contains(path)
        || (who.allTeams() && (TEAM_SCOPED.contains(path) || ALL_TEAMS.contains(path)))) {
      return new Decision(200, null, params, null);
    }
    if (path.equals("/admin/budgets") || path.startsWith("/admin/budgets/")) {
      return new Decision(200, null, params, who.team());
    }
    if (ALL_TEAMS.contains(path)) {
      return refuse(
          403,
          "Viewer '"
              + who.name()
              + "' reads team '"
              + who.team()
              + "' only; "
              + path
              + " covers every team");
    }
    if (!TEAM_SCOPED.contains(path)) {
      return refuse(403, "Viewer '" + who.name() + "' may not read " + path);
    }
    List<String> asked = params.get("team");
    if (asked != null) {
      for (String t : asked) {
        if (!t.equals(who.team())) {
          return refuse(
              403,
              "Viewer '" + who.name() + "' reads team '" + who.team() + "' only, not '" + t + "'");
        }
      }
    }
    Map<String, List<String>> scoped = new LinkedHashMap<>(params);
    scoped.put("team", List.of(who.team()));
    return new Decision(200, null, scoped, who.team());
  }

  private static Decision refuse(int status, String why) {
    return new Decision(status, why, Map.of(), null);
  }
}
