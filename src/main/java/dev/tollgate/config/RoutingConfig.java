package dev.tollgate.config;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Which upstream serves a call, chosen by the model its body names: ordered rules, first match
 * wins; unmatched models go to the default upstream (or are refused, with {@code unmatched:
 * reject}). Calls that name no model (listing models, files) always go to the default.
 *
 * @param upstreams every upstream by name, {@code default} first
 * @param routes the rules, in order
 * @param rejectUnmatched refuse (400) a model no rule matches instead of sending it to the default
 */
public record RoutingConfig(
    Map<String, NamedUpstream> upstreams, List<Rule> routes, boolean rejectUnmatched) {

  /**
   * One rule. {@code match} is a model name ({@code gpt-4o}), a glob ({@code claude-*}) or a prefix
   * ending in {@code /} ({@code deepseek/}), which is removed from the model before the call is
   * sent on.
   */
  public record Rule(String match, String upstream, Pattern glob) {
    public static Rule of(String match, String upstream) {
      Pattern glob =
          match.contains("*")
              ? Pattern.compile(
                  "\\Q" + match.replace("*", "\\E.*\\Q") + "\\E", Pattern.CASE_INSENSITIVE)
              : null;
      return new Rule(match, upstream, glob);
    }

    boolean prefix() {
      return match.endsWith("/");
    }

    boolean matches(String model) {
      return prefix()
          ? model.regionMatches(true, 0, match, 0, match.length())
          : glob != null ? glob.matcher(model).matches() : match.equalsIgnoreCase(model);
    }
  }

  /**
   * Where a call goes.
   *
   * @param model the model to send on when a prefix was removed, else null (the body is as sent)
   */
  public record Routed(NamedUpstream upstream, String model) {}

  public RoutingConfig {
    upstreams = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(upstreams));
    routes = List.copyOf(routes);
    if (!upstreams.containsKey(NamedUpstream.DEFAULT)) {
      throw new ConfigException("upstreams: the default upstream is missing");
    }
    for (int i = 0; i < routes.size(); i++) {
      if (!upstreams.containsKey(routes.get(i).upstream())) {
        throw new ConfigException(
            "routes["
                + i
                + "].upstream: no upstream named '"
                + routes.get(i).upstream()
                + "' (upstreams: "
                + String.join(", ", upstreams.keySet())
                + ")");
      }
    }
  }

  /** The first upstream of kind {@code provider}, or null. */
  public NamedUpstream firstOf(Provider provider) {
    for (NamedUpstream u : upstreams.values()) {
      if (u.provider() == provider) {
        return u;
      }
    }
    return null;
  }

  public NamedUpstream defaultUpstream() {
    return upstreams.get(NamedUpstream.DEFAULT);
  }

  /** The upstream for {@code model} (null: no model named), or null when it must be refused. */
  public Routed route(String model) {
    if (model == null || model.isEmpty()) {
      return new Routed(defaultUpstream(), null);
    }
    for (Rule r : routes) {
      if (r.matches(model)) {
        return new Routed(
            upstreams.get(r.upstream()), r.prefix() ? model.substring(r.match().length()) : null);
      }
    }
    return rejectUnmatched ? null : new Routed(defaultUpstream(), null);
  }
}
