package dev.tollgate.console;

/**
 * Who is calling the admin API or the console: the admin (everything, and the actions), or a viewer
 * that reads one team's spend, or every team's.
 *
 * @param name {@code admin}, or the viewer's name
 * @param team the one team a viewer may read; null for the admin and for an all-teams viewer
 */
public record Principal(String name, boolean admin, String team) {
  public static final Principal ADMIN = new Principal("admin", true, null);

  public static Principal viewer(String name, String team) {
    return new Principal(name, false, team);
  }

  /** May read every team's data. */
  public boolean allTeams() {
    return team == null;
  }

  public String role() {
    return admin ? "admin" : "viewer";
  }
}
