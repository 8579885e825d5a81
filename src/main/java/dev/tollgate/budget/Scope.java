package dev.tollgate.budget;

import dev.tollgate.attribution.Attribution;

/**
 * Whose calls a budget counts: {@code team:search}, {@code project:ranking}, {@code key:ci-bot},
 * {@code user:ana} or {@code tag:feature=search}.
 *
 * @param kind team, project, key, user or tag
 * @param tag the tag's name for a tag scope, else null
 * @param value the team, project, key or user name, or the tag's value
 */
public record Scope(String kind, String tag, String value) {
  /** Parses {@code kind:value}; a bad one is an IllegalArgumentException saying what is wanted. */
  public static Scope parse(String text) {
    int colon = text == null ? -1 : text.indexOf(':');
    if (colon <= 0 || colon == text.length() - 1) {
      throw new IllegalArgumentException(
          "expected team:NAME, project:NAME, key:NAME, user:NAME or tag:NAME=VALUE, got '"
              + text
              + "'");
    }
    String kind = text.substring(0, colon).trim();
    String rest = text.substring(colon + 1).trim();
    switch (kind) {
      case "team", "project", "key", "user" -> {
        return new Scope(kind, null, rest);
      }
      case "tag" -> {
        int eq = rest.indexOf('=');
        if (eq <= 0 || eq == rest.length() - 1) {
          throw new IllegalArgumentException("a tag scope is tag:NAME=VALUE, got '" + text + "'");
        }
        return new Scope(kind, rest.substring(0, eq).trim(), rest.substring(eq + 1).trim());
      }
      default ->
          throw new IllegalArgumentException(
              "scope kind must be team, project, key, user or tag, got '" + kind + "'");
    }
  }

  public boolean matches(Attribution who) {
    return switch (kind) {
      case "team" -> value.equals(who.team());
      case "project" -> value.equals(who.project());
      case "key" -> value.equals(who.key());
      case "user" -> value.equals(who.user());
      default -> value.equals(who.tags().get(tag));
    };
  }

  @Override
  public String toString() {
    return kind + ":" + (tag == null ? value : tag + "=" + value);
  }
}
