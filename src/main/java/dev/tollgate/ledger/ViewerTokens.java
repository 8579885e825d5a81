package dev.tollgate.ledger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * Viewer tokens, in the ledger database so every replica knows them: read-only access to one team's
 * spend, or every team's, for the console and the admin API. The token itself is shown once, at
 * issue; only its SHA-256 is stored.
 */
public final class ViewerTokens {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final char[] ALPHABET =
      "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".toCharArray();

  /** What every viewer token starts with, so a log scrubber or a reader can tell what it is. */
  public static final String PREFIX = "tgv-";

  /**
   * A viewer.
   *
   * @param team the team it may read, or null for every team
   * @param revoked when it was revoked, or null while it is valid
   */
  public record Viewer(String name, String team, Instant created, Instant revoked) {
    public boolean valid() {
      return revoked == null;
    }
  }

  /** A viewer just issued, with its token (shown this once). */
  public record Issued(Viewer viewer, String token) {}

  /** A name already taken, or not a valid name. */
  public static final class Refused extends Exception {
    public Refused(String message) {
      super(message);
    }
  }

  private final DataSource db;

  public ViewerTokens(DataSource db) {
    this.db = db;
  }

  /**
   * @param team the team it may read; null for every team
   */
  public Issued issue(String name, String team, Instant now) throws SQLException, Refused {
    if (name == null || !name.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
      throw new Refused(
          "a viewer's name is 1 to 64 letters, digits, '.', '_' or '-', got '" + name + "'");
    }
    if (team != null && team.isBlank()) {
      throw new Refused("--team needs a team's name (or use --all)");
    }
    String token = newToken();
    try (Connection c = db.getConnection();
        PreparedStatement exists = c.prepareStatement("SELECT 1 FROM viewers WHERE name = ?")) {
      exists.setString(1, name);
      try (ResultSet r = exists.executeQuery()) {
        if (r.next()) {
          throw new Refused("a viewer named '" + name + "' exists (names are never reused)");
        }
      }
      try (PreparedStatement p =
          c.prepareStatement(
              "INSERT INTO viewers (name, token_sha256, team, created_ms) VALUES (?,?,?,?)")) {
        p.setString(1, name);
        p.setString(2, sha256(token));
        p.setString(3, team);
        p.setLong(4, now.toEpochMilli());
        p.executeUpdate();
      }
    }
    return new Issued(new Viewer(name, team, now, null), token);
  }

  /** Every viewer, by name, revoked ones included. */
  public List<Viewer> list() throws SQLException {
    List<Viewer> out = new ArrayList<>();
    try (Connection c = db.getConnection();
        PreparedStatement p =
            c.prepareStatement(
                "SELECT name, team, created_ms, revoked_ms FROM viewers ORDER BY name");
        ResultSet r = p.executeQuery()) {
      while (r.next()) {
        out.add(viewer(r));
      }
    }
    return out;
  }

  /** Revokes {@code name}; false when there is no such valid viewer. */
  public boolean revoke(String name, Instant now) throws SQLException {
    try (Connection c = db.getConnection();
        PreparedStatement p =
            c.prepareStatement(
                "UPDATE viewers SET revoked_ms = ? WHERE name = ? AND revoked_ms IS NULL")) {
      p.setLong(1, now.toEpochMilli());
      p.setString(2, name);
      return p.executeUpdate() == 1;
    }
  }

  /** The viewer a token belongs to, revoked or not; empty for any other string. */
  public Optional<Viewer> byToken(String token) throws SQLException {
    if (token == null || !token.startsWith(PREFIX)) {
      return Optional.empty();
    }
    return find("token_sha256", sha256(token));
  }

  public Optional<Viewer> byName(String name) throws SQLException {
    return find("name", name);
  }

  private Optional<Viewer> find(String column, String value) throws SQLException {
    try (Connection c = db.getConnection();
        PreparedStatement p =
            c.prepareStatement(
                "SELECT name, team, created_ms, revoked_ms FROM viewers WHERE "
                    + column
                    + " = ?")) {
      p.setString(1, value);
      try (ResultSet r = p.executeQuery()) {
        return r.next() ? Optional.of(viewer(r)) : Optional.empty();
      }
    }
  }

  private static Viewer viewer(ResultSet r) throws SQLException {
    long revoked = r.getLong(4);
    Instant revokedAt = r.wasNull() ? null : Instant.ofEpochMilli(revoked);
    return new Viewer(
        r.getString(1), r.getString(2), Instant.ofEpochMilli(r.getLong(3)), revokedAt);
  }

  /** {@code tgv-} and 40 base62 characters: about 238 random bits. */
  private static String newToken() {
    StringBuilder s = new StringBuilder(PREFIX);
    for (int i = 0; i < 40; i++) {
      s.append(ALPHABET[RANDOM.nextInt(ALPHABET.length)]);
    }
    return s.toString();
  }

  private static String sha256(String token) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
