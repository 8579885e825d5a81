package dev.tollgate.pricing;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The loaded price catalog, and how a model name from a request or response finds its entry: exact
 * name, then configured aliases, then the name without a dated snapshot suffix ({@code
 * o3-2025-04-16} → {@code o3}), then without a provider prefix ({@code openai/gpt-4o}). A snapshot
 * priced on its own (gpt-4o-2024-05-13) is found by its exact name first.
 */
public final class PriceCatalog {
  private static final Pattern SNAPSHOT = Pattern.compile("-(\\d{4}-\\d{2}-\\d{2}|\\d{8}|\\d{4})$");
  private static final int MAX_CACHED_NAMES = 10_000;

  private final Map<String, ModelPrice> models;
  private final Map<String, String> aliases;
  private final Map<String, Map<String, ModelPrice>> upstreamOverrides;
  private final PriceCatalog fallback; // synced sources: asked only for names this one lacks
  private final Map<String, Optional<ModelPrice>> resolved = new ConcurrentHashMap<>();

  public PriceCatalog(
      Map<String, ModelPrice> models,
      Map<String, String> aliases,
      Map<String, Map<String, ModelPrice>> upstreamOverrides) {
    this.models = Map.copyOf(models);
    this.aliases = Map.copyOf(aliases);
    this.upstreamOverrides = Map.copyOf(upstreamOverrides);
    this.fallback = null;
  }

  private PriceCatalog(PriceCatalog curated, PriceCatalog fallback) {
    this.models = curated.models;
    this.aliases = curated.aliases;
    this.upstreamOverrides = curated.upstreamOverrides;
    this.fallback = fallback;
  }

  /**
   * This (curated) catalog, asking {@code synced} only for a name it cannot resolve itself by any
   * rule (exact, alias, snapshot, prefix): the curated catalog decides every model it names.
   */
  public PriceCatalog withFallback(PriceCatalog synced) {
    return synced == null || synced.models.isEmpty() ? this : new PriceCatalog(this, synced);
  }

  public Map<String, ModelPrice> models() {
    return models;
  }

  public Map<String, String> aliases() {
    return aliases;
  }

  /**
   * This catalog with {@code top} laid over it: a model {@code top} names replaces this one's entry
   * of that name whole (all its versions); aliases and per-upstream prices add to this one's.
   */
  public PriceCatalog overlay(PriceCatalog top) {
    Map<String, ModelPrice> mergedModels = new HashMap<>(models);
    mergedModels.putAll(top.models);
    Map<String, String> mergedAliases = new HashMap<>(aliases);
    mergedAliases.putAll(top.aliases);
    Map<String, Map<String, ModelPrice>> mergedUpstreams = new HashMap<>(upstreamOverrides);
    top.upstreamOverrides.forEach(
        (host, prices) -> {
          Map<String, ModelPrice> m = new HashMap<>(mergedUpstreams.getOrDefault(host, Map.of()));
          m.putAll(prices);
          mergedUpstreams.put(host, m);
        });
    return new PriceCatalog(mergedModels, mergedAliases, mergedUpstreams);
  }

  /** This catalog with the models priced specially for {@code upstreamHost} put in front. */
  public PriceCatalog forUpstream(String upstreamHost) {
    Map<String, ModelPrice> overrides = upstreamOverrides.get(upstreamHost);
    if (overrides == null) {
      return this;
    }
    Map<String, ModelPrice> merged = new HashMap<>(models);
    merged.putAll(overrides);
    return new PriceCatalog(merged, aliases, Map.of());
  }

  /** The entry a served or requested model name prices as; empty when it has none. */
  public Optional<ModelPrice> resolve(String model) {
    if (model == null || model.isBlank()) {
      return Optional.empty();
    }
    Optional<ModelPrice> hit = resolved.get(model);
    if (hit != null) {
      return hit;
    }
    Optional<ModelPrice> found = lookup(model);
    if (found.isEmpty() && fallback != null) {
      found = fallback.resolve(model);
    }
    // Names come from clients, so the memo is bounded: past the cap, names are just looked up.
    if (resolved.size() < MAX_CACHED_NAMES) {
      resolved.put(model, found);
    }
    return found;
  }

  private Optional<ModelPrice> lookup(String model) {
    String name = model.trim().toLowerCase(java.util.Locale.ROOT);
    Optional<ModelPrice> found = byNameOrSnapshot(name);
    int slash = name.lastIndexOf('/');
    if (found.isEmpty() && slash >= 0 && slash < name.length() - 1) {
      found = byNameOrSnapshot(name.substring(slash + 1));
    }
    return found;
  }

  private Optional<ModelPrice> byNameOrSnapshot(String name) {
    Optional<ModelPrice> found = byName(name);
    if (found.isPresent()) {
      return found;
    }
    String base = SNAPSHOT.matcher(name).replaceFirst("");
    return base.equals(name) ? Optional.empty() : byName(base);
  }

  private Optional<ModelPrice> byName(String name) {
    ModelPrice exact = models.get(name);
    if (exact != null) {
      return Optional.of(exact);
    }
    String target = aliases.get(name);
    return target == null ? Optional.empty() : Optional.ofNullable(models.get(target));
  }
}
