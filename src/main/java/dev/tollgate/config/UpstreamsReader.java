package dev.tollgate.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The {@code upstream:} section (the default upstream, with its environment overrides), the named
 * {@code upstreams:} and the {@code routes:} that choose between them.
 */
final class UpstreamsReader {
  private final Function<String, Path> path;
  private final Function<String, Optional<String>> env;

  UpstreamsReader(Function<String, Path> path, Function<String, Optional<String>> env) {
    this.path = path;
    this.env = env;
  }

  /** {@code prices_as}: which provider's synced prices apply, lower case; null when unset. */
  private static String pricesAs(Section s) {
    String p = s.string("prices_as", "").trim().toLowerCase(java.util.Locale.ROOT);
    return p.isEmpty() ? null : p;
  }

  RoutingConfig read(Section top) {
    Map<String, NamedUpstream> upstreams = new LinkedHashMap<>();
    Section main = top.section("upstream");
    Provider provider = NamedUpstream.provider("default", main.string("provider", "openai"));
    upstreams.put(
        NamedUpstream.DEFAULT,
        new NamedUpstream(
            NamedUpstream.DEFAULT, provider, upstream(main, true), Map.of(), pricesAs(main)));
    Section named = top.section("upstreams");
    for (String name : named.keys()) {
      if (name.equals(NamedUpstream.DEFAULT)) {
        throw new ConfigException(
            "upstreams.default: the default upstream is the upstream: section; name this one"
                + " otherwise");
      }
      Section s = named.section(name);
      Map<String, String> deployments = new LinkedHashMap<>();
      Section d = s.section("deployments");
      for (String deployment : d.keys()) {
        deployments.put(deployment, d.string(deployment, ""));
      }
      upstreams.put(
          name,
          new NamedUpstream(
              name,
              NamedUpstream.provider(name, s.string("provider", "openai_compatible")),
              upstream(s, false),
              deployments,
              pricesAs(s)));
      s.rejectUnknownKeys();
    }
    List<RoutingConfig.Rule> rules = new ArrayList<>();
    for (Section r : top.sections("routes")) {
      String match = r.string("match", "").trim();
      if (match.isEmpty()) {
        throw new ConfigException(
            r.keyPath("match") + ": a model name, glob or prefix/ is required");
      }
      rules.add(RoutingConfig.Rule.of(match, r.string("upstream", "").trim()));
      r.rejectUnknownKeys();
    }
    String unmatched = top.string("unmatched", "default").trim();
    if (!unmatched.equals("default") && !unmatched.equals("reject")) {
      throw new ConfigException("unmatched: must be default or reject, got '" + unmatched + "'");
    }
    return new RoutingConfig(upstreams, rules, unmatched.equals("reject"));
  }

  /**
   * @param main the {@code upstream:} section: its URL has a default and TOLLGATE_UPSTREAM_URL
   */
  private UpstreamConfig upstream(Section s, boolean main) {
    String fromFile = s.string("url", main ? "https://api.openai.com/v1" : null);
    if (fromFile == null) {
      throw new ConfigException(s.keyPath("url") + ": is required");
    }
    String url = main ? env.apply("TOLLGATE_UPSTREAM_URL").orElse(fromFile) : fromFile;
    URI uri;
    try {
      uri = new URI(url.trim());
    } catch (URISyntaxException e) {
      throw new ConfigException(s.keyPath("url") + ": not a valid URL: '" + url + "'");
    }
    Optional<String> key = Optional.ofNullable(s.string("api_key", null));
    String keyEnv = s.string("api_key_env", null);
    if (key.filter(k -> !k.isBlank()).isEmpty() && keyEnv != null && !keyEnv.isBlank()) {
      key = env.apply(keyEnv);
    }
    Section pool = s.section("pool");
    Section tls = s.section("tls");
    try {
      return new UpstreamConfig(
          uri,
          key,
          s.duration("connect_timeout", Duration.ofSeconds(10)),
          // Reasoning models can think for minutes before a non-streamed answer's first byte.
          s.duration("first_byte_timeout", Duration.ofMinutes(10)),
          s.duration("idle_timeout", Duration.ofMinutes(5)),
          pool.duration("idle_timeout", Duration.ofSeconds(60)),
          (int) pool.integer("max_idle_per_loop", 256),
          Optional.ofNullable(tls.string("trust_file", null)).filter(f -> !f.isBlank()).map(path));
    } catch (ConfigException e) {
      // UpstreamConfig names its keys as upstream.*: name the section they are in.
      throw main
          ? e
          : new ConfigException(e.getMessage().replaceFirst("^upstream\\.", s.keyPath("")), e);
    }
  }
}
