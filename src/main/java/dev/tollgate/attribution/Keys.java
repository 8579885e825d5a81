package dev.tollgate.attribution;

import com.fasterxml.jackson.databind.JsonNode;
import dev.tollgate.config.ConfigException;
import dev.tollgate.config.Section;
import dev.tollgate.config.YamlFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The loaded {@code keys.yaml}: a YAML list, one entry per key, so new keys are appended without
 * rewriting the file. Secrets are never stored: virtual keys by {@code sha256}, passthrough
 * upstream keys by {@code fingerprint} (the first 16 hex digits of their SHA-256).
 */
public final class Keys {
  public static final Keys EMPTY = new Keys(Map.of(), Map.of(), List.of());

  private final Map<String, KeyEntry> virtualByHash;
  private final Map<String, KeyEntry> passthroughByFingerprint;
  private final List<KeyEntry> entries;

  Keys(
      Map<String, KeyEntry> virtualByHash,
      Map<String, KeyEntry> passthroughByFingerprint,
      List<KeyEntry> entries) {
    this.virtualByHash = Map.copyOf(virtualByHash);
    this.passthroughByFingerprint = Map.copyOf(passthroughByFingerprint);
    this.entries = List.copyOf(entries);
  }

  /** A missing file is no keys at all (the drop-in default); an invalid one is an error. */
  public static Keys load(Path file) {
    JsonNode root = YamlFile.read(file, "keys file", true); // missing: no keys
    if (root == null || root.isNull() || root.isMissingNode()) {
      return EMPTY;
    }
    if (!root.isArray()) {
      throw new ConfigException("keys file " + file + ": must be a list of key entries");
    }
    Map<String, KeyEntry> virtual = new HashMap<>();
    Map<String, KeyEntry> passthrough = new HashMap<>();
    List<KeyEntry> entries = new ArrayList<>();
    Map<String, Integer> where = new HashMap<>(); // a key's hash or an active name: its entry
    for (int i = 0; i < root.size(); i++) {
      Section s = new Section("keys[" + i + "]", root.get(i));
      String hash = s.string("sha256", null);
      String fingerprint = s.string("fingerprint", null);
      KeyEntry entry =
          new KeyEntry(
              s.string("name", null),
              s.string("team", null),
              s.string("project", null),
              s.string("user", null),
              s.bool("revoked", false),
              s.string("created", null),
              expires(s),
              hash != null);
      s.rejectUnknownKeys();
      if ((hash == null) == (fingerprint == null)) {
        throw new ConfigException(
            s.keyPath("sha256") + ": each entry needs exactly one of sha256 or fingerprint");
      }
      if (entry.team() == null || entry.team().isBlank()) {
        throw new ConfigException(s.keyPath("team") + ": is required");
      }
      // Two entries for one key: which team would pay is a guess. Refused, never guessed.
      String id = (hash != null ? "sha256 " + hash : "fingerprint " + fingerprint);
      unique(where, id.toLowerCase(Locale.ROOT), i, file, "] is the same key as keys[", id);
      if (entry.name() != null && !entry.revoked()) {
        String why = "].name '" + entry.name() + "' is already the name of keys[";
        unique(where, "name " + entry.name(), i, file, why, "names are unique");
      }
      if (hash != null) {
        virtual.put(hash.toLowerCase(Locale.ROOT), entry);
      } else {
        passthrough.put(fingerprint.toLowerCase(Locale.ROOT), entry);
      }
      entries.add(entry);
    }
    return new Keys(virtual, passthrough, entries);
  }

  /** Refuses entry {@code i} when an earlier entry already took {@code id}. */
  private static void unique(
      Map<String, Integer> where, String id, int i, Path file, String clash, String note) {
    Integer before = where.putIfAbsent(id, i);
    if (before != null) {
      throw new ConfigException(
          "keys file " + file + ": keys[" + i + clash + before + "] (" + note + ")");
    }
  }

  /** {@code expires: 2027-01-01} (refused from that day on, UTC) or an instant; absent = never. */
  private static Instant expires(Section s) {
    String text = s.string("expires", null);
    if (text == null || text.isBlank()) {
      return null;
    }
    try {
      return KeyFile.parseExpiry(text, Instant.EPOCH);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(s.keyPath("expires") + ": " + e.getMessage());
    }
  }

  /**
   * These keys (the file's) with the ones the shared database holds, by SHA-256: the file wins
   * where both have a key's hash or an active key's name (it is declared, as GitOps wants), so a
   * stored key never takes over a declared one.
   */
  public Keys withStored(Map<String, KeyEntry> stored) {
    if (stored.isEmpty()) {
      return this;
    }
    Map<String, KeyEntry> virtual = new HashMap<>(virtualByHash);
    List<KeyEntry> all = new ArrayList<>(entries);
    java.util.Set<String> names = new java.util.HashSet<>();
    entries.stream()
        .filter(e -> !e.revoked() && e.name() != null)
        .forEach(e -> names.add(e.name()));
    stored.forEach(
        (hash, entry) -> {
          if (!virtual.containsKey(hash) && (entry.revoked() || !names.contains(entry.name()))) {
            virtual.put(hash, entry);
            all.add(entry);
          }
        });
    return new Keys(virtual, passthroughByFingerprint, all);
  }

  /** Every entry, in the file's order (for listing; lookups go through the maps). */
  public List<KeyEntry> entries() {
    return entries;
  }

  /** The entry for a virtual key secret, or null when unknown. */
  public KeyEntry virtualKey(String secret) {
    return virtualByHash.get(sha256(secret));
  }

  /** The entry for a virtual key's SHA-256 (lower-case hex), or null when unknown. */
  public KeyEntry virtualKeyByHash(String hash) {
    return virtualByHash.get(hash);
  }

  /** The entry a passthrough key's fingerprint maps to, or null. */
  public KeyEntry passthrough(String fingerprint) {
    return passthroughByFingerprint.get(fingerprint);
  }

  public int virtualKeyCount() {
    return virtualByHash.size();
  }

  // One digest per thread: MessageDigest.getInstance (a provider lookup) cost more than hashing
  // the key itself, and it ran for every request on the event loop (~3% of its CPU in a profile).
  private static final ThreadLocal<MessageDigest> SHA_256 =
      ThreadLocal.withInitial(
          () -> {
            try {
              return MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException e) {
              throw new IllegalStateException(e);
            }
          });
  private static final HexFormat HEX = HexFormat.of();

  public static String sha256(String secret) {
    return HEX.formatHex(
        SHA_256.get().digest(secret.getBytes(StandardCharsets.UTF_8))); // digest() resets it
  }

  /** A short, one-way name for an upstream key, safe to log and to put in reports. */
  public static String fingerprint(String secret) {
    return sha256(secret).substring(0, 16);
  }
}
