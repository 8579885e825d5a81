package dev.tollgate.proxy;

import dev.tollgate.config.NamedUpstream;
import dev.tollgate.config.RoutingConfig;
import java.util.LinkedHashMap;
import java.util.Map;

/** The connection pools of every configured upstream, by name. */
public final class UpstreamSet implements AutoCloseable {
  private final Map<String, Upstreams> byName;

  private UpstreamSet(Map<String, Upstreams> byName) {
    this.byName = Map.copyOf(byName);
  }

  /** A pool per upstream in {@code routing}. */
  public static UpstreamSet of(RoutingConfig routing, Transports transports) {
    Map<String, Upstreams> pools = new LinkedHashMap<>();
    for (NamedUpstream u : routing.upstreams().values()) {
      pools.put(u.name(), new UpstreamPool(u.config(), transports));
    }
    return new UpstreamSet(pools);
  }

  /** Only the default upstream, served by {@code pool} (tests hand out in-memory channels). */
  public static UpstreamSet single(Upstreams pool) {
    return new UpstreamSet(Map.of(NamedUpstream.DEFAULT, pool));
  }

  Upstreams get(String name) {
    Upstreams u = byName.get(name);
    if (u == null) {
      throw new IllegalStateException("no pool for upstream '" + name + "'");
    }
    return u;
  }

  @Override
  public void close() {
    for (Upstreams u : byName.values()) {
      if (u instanceof AutoCloseable c) {
        try {
          c.close();
        } catch (Exception e) {
          // closing at shutdown: nothing left to do with it
        }
      }
    }
  }
}
