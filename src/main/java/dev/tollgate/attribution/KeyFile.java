package dev.tollgate.attribution;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Changes {@code keys.yaml} for {@code tollgate keys} and {@code /admin/keys}: issues a key by
 * appending its entry, revokes one by editing only its entry. The file is never re-serialised, so
 * an operator's comments and layout survive every change.
 */
public final class KeyFile implements KeyStore {
  private static final char[] ALPHABET =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final ObjectMapper WRITER =
      new ObjectMapper(
          new YAMLFactory()
              .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
              .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES));
  private static final Pattern DAYS = Pattern.compile("(\\d{1,5})d");
  // A document that is only an empty flow list or a null, on a line of its own.
  private static final Pattern EMPTY_FLOW_LIST =
      Pattern.compile("(?m)^[ \\t]*(\\[[ \\t]*\\]|null|~)[ \\t]*(#.*)?$\\n?");

  /** Why a change was refused; the admin API maps each to its status. */
  public enum Problem {
    INVALID,
    NAME_TAKEN,
    NOT_FOUND,
    UNWRITABLE
  }

  /** A change that could not be made, with a one-line message. */
  public static final class Refused extends RuntimeException {
    private final Problem problem;

    public Refused(Problem problem, String message) {
      super(message);
      this.problem = problem;
    }

    public Problem problem() {
      return problem;
    }
  }

  /** What a new key is charged to; {@code name} and {@code expires} may be null. */
  public record NewKey(String team, String project, String user, String name, Instant expires) {}

  /** The secret, shown once, and the entry written for it. */
  public record Issued(String secret, KeyEntry entry) {}

  private final Path file;
  private final Clock clock;

  public KeyFile(Path file, Clock clock) {
    this.file = file;
    this.clock = clock;
  }

  public Path path() {
    return file;
  }

  @Override
  public String where() {
    return file.toString();
  }

  /** Every entry, in the file's order; an invalid file is a ConfigException. */
  @Override
  public List<KeyEntry> list() {
    return Keys.load(file).entries();
  }

  /** Appends a new virtual key's entry; names are unique so that revoking by name is exact. */
  @Override
  public synchronized Issued issue(NewKey key) {
    List<KeyEntry> existing = list(); // also refuses to append to a file that is already broken
    LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
    key = named(key, existing, today);
    String secret = newSecret();
    Map<String, String> entry = new LinkedHashMap<>();
    entry.put("name", key.name());
    entry.put("sha256", Keys.sha256(secret));
    entry.put("team", key.team());
    put(entry, "project", key.project());
    put(entry, "user", key.user());
    entry.put("created", today.toString());
    put(entry, "expires", key.expires() == null ? null : key.expires().toString());
    try {
      String text = Files.exists(file) ? Files.readString(file) : "";
      String yaml = WRITER.writeValueAsString(List.of(entry));
      if (file.toAbsolutePath().getParent() != null) {
        Files.createDirectories(file.toAbsolutePath().getParent());
      }
      if (existing.isEmpty() && EMPTY_FLOW_LIST.matcher(text).find()) {
        // "[]" (or "null"): an entry appended after it would not be YAML, and every key issued
        // after it would fail. The file holds no key: the entry takes its place.
        replace(EMPTY_FLOW_LIST.matcher(text).replaceAll("") + yaml);
      } else {
        Files.writeString(
            file,
            (text.isEmpty() || text.endsWith("\n") ? "" : "\n") + yaml,
            StandardCharsets.UTF_8,
            StandardOpenOption.CREATE,
            StandardOpenOption.APPEND);
      }
    } catch (IOException e) {
      throw unwritable(e);
    }
    if (list().size() != existing.size() + 1) {
      throw new Refused(
          Problem.UNWRITABLE,
          "keys file "
              + file
              + " does not read back with the new key: write its entries as"
              + " '- name: ...' lines");
    }
    return new Issued(
        secret,
        new KeyEntry(
            key.name(),
            key.team(),
            key.project(),
            key.user(),
            false,
            today.toString(),
            key.expires(),
            true));
  }

  /** Marks every entry named {@code name} revoked; returns how many were (0: none had it). */
  @Override
  public synchronized int revoke(String name) {
    list(); // a broken file is reported as such, not edited
    String text;
    try {
      text = Files.readString(file);
    } catch (IOException e) {
      throw new Refused(
          Problem.NOT_FOUND, "no key named '" + name + "' (no keys file " + file + ")");
    }
    KeyRevocation revocation = KeyRevocation.of(text, name);
    if (revocation.entries() == 0) {
      throw new Refused(Problem.NOT_FOUND, "no key named '" + name + "' in " + file);
    }
    replace(revocation.edited());
    return revocation.entries();
  }

  /** Writes through a temporary file and a rename, so the reloader never reads half a file. */
  private void replace(String text) {
    Path dir = file.toAbsolutePath().getParent();
    try {
      Path tmp = Files.createTempFile(dir, ".keys", ".yaml.tmp");
      try {
        Files.writeString(tmp, text);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } finally {
        Files.deleteIfExists(tmp);
      }
    } catch (AccessDeniedException e) {
      // A folder we may not create files in, holding a file we may write: edit it in place.
      try {
        Files.writeString(file, text, StandardOpenOption.TRUNCATE_EXISTING);
      } catch (IOException again) {
        throw unwritable(again);
      }
    } catch (IOException e) {
      throw unwritable(e);
    }
  }

  private Refused unwritable(IOException e) {
    String why =
        e instanceof AccessDeniedException
            ? "permission denied"
            : e instanceof NoSuchFileException
                ? "no such folder for " + e.getMessage()
                : e instanceof FileSystemException f && f.getReason() != null
                    ? f.getReason()
                    : String.valueOf(e.getMessage());
    return new Refused(
        Problem.UNWRITABLE,
        "cannot write keys file "
            + file
            + ": "
            + why
            + " (run as a user who may write it, or point attribution.keys_file or"
            + " TOLLGATE_KEYS_FILE at a writable path)");
  }

  /**
   * The key as it is to be issued, in any store: it needs a team; a name given must be free (so
   * that revoking by name is exact); without one it is {@code <team>-<date>}, then {@code -2},
   * {@code -3}... until free.
   */
  public static NewKey named(NewKey key, List<KeyEntry> existing, LocalDate today) {
    if (key.team() == null || key.team().isBlank()) {
      throw new Refused(Problem.INVALID, "a key needs a team");
    }
    if (key.name() != null) {
      if (taken(existing, key.name())) {
        throw new Refused(Problem.NAME_TAKEN, "a key named '" + key.name() + "' already exists");
      }
      return key;
    }
    String base = key.team() + "-" + today;
    String candidate = base;
    for (int n = 2; taken(existing, candidate); n++) {
      candidate = base + "-" + n;
    }
    return new NewKey(key.team(), key.project(), key.user(), candidate, key.expires());
  }

  private static boolean taken(List<KeyEntry> entries, String name) {
    return entries.stream().anyMatch(e -> name.equals(e.name()));
  }

  private static void put(Map<String, String> entry, String key, String value) {
    if (value != null && !value.isBlank()) {
      entry.put(key, value);
    }
  }

  /**
   * When a key stops working: a date (refused from that day on, UTC), an instant, or a number of
   * days from {@code now} ({@code 90d}).
   */
  public static Instant parseExpiry(String text, Instant now) {
    String t = text.trim().toLowerCase(Locale.ROOT);
    Matcher days = DAYS.matcher(t);
    try {
      if (days.matches()) {
        return now.plus(Duration.ofDays(Long.parseLong(days.group(1))));
      }
      return t.contains("t")
          ? Instant.parse(text.trim())
          : LocalDate.parse(t).atStartOfDay(ZoneOffset.UTC).toInstant();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException(
          "expected a date (2027-01-31), a UTC instant or a number of days (90d), got '"
              + text
              + "'");
    }
  }

  /** {@code tg-} and 40 base62 characters: about 238 random bits. */
  public static String newSecret() {
    StringBuilder s = new StringBuilder("tg-");
    for (int i = 0; i < 40; i++) {
      s.append(ALPHABET[RANDOM.nextInt(ALPHABET.length)]);
    }
    return s.toString();
  }
}
