package dev.tollgate.ledger;

import dev.tollgate.attribution.KeyEntry;
import dev.tollgate.attribution.KeyFile;
import dev.tollgate.attribution.KeyStore;
import dev.tollgate.attribution.Keys;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;

/**
 * Virtual keys kept in the shared ledger database ({@code virtual_keys}), the {@link KeyStore} of
 * replicas sharing a PostgreSQL ledger: issued, listed and revoked through any replica, read by
 * every one (each reloads them every {@code attribution.keys_sync_interval}). Hashes only.
 */
public final class KeyRecords implements KeyStore {
  private final DataSource db;
  private final Clock clock;

  public KeyRecords(DataSource db, Clock clock) {
    this.db = db;
    this.clock = clock;
  }

  @Override
  public String where() {
    return "the ledger database";
  }

  @Override
  public List<KeyEntry> list() {
    return new ArrayList<>(stored().values());
  }

  /** Every stored key by the SHA-256 of its secret, oldest first. */
  public Map<String, KeyEntry> stored() {
    Map<String, KeyEntry> out = new LinkedHashMap<>();
    try (Connection c = db.getConnection();
        PreparedStatement p =
            c.prepareStatement(
                "SELECT sha256, name, team, project, end_user, created, expires_ms, revoked_ms"
                    + " FROM virtual_keys ORDER BY created, name");
        ResultSet r = p.executeQuery()) {
      while (r.next()) {
        long expires = r.getLong(7);
        boolean never = r.wasNull();
        r.getLong(8);
        boolean revoked = !r.wasNull();
        out.put(
            r.getString(1),
            new KeyEntry(
                r.getString(2),
                r.getString(3),
                r.getString(4),
                r.getString(5),
                revoked,
                r.getString(6),
                never ? null : Instant.ofEpochMilli(expires),
                true));
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read the keys from the ledger: " + e.getMessage(), e);
    }
    return out;
  }

  @Override
  public KeyFile.Issued issue(KeyFile.NewKey key) {
    Instant now = clock.instant();
    LocalDate today = LocalDate.ofInstant(now, ZoneOffset.UTC);
    key = KeyFile.named(key, list(), today);
    String name = key.name();
    String secret = KeyFile.newSecret();
    try (Connection c = db.getConnection();
        PreparedStatement p =
            c.prepareStatement(
                "INSERT INTO virtual_keys (name, sha256, team, project, end_user, created,"
                    + " expires_ms, revoked_ms, updated_ms) VALUES (?,?,?,?,?,?,?,NULL,?)")) {
      p.setString(1, name);
      p.setString(2, Keys.sha256(secret));
      p.setString(3, key.team());
      p.setString(4, key.project());
      p.setString(5, key.user());
      p.setString(6, today.toString());
      if (key.expires() == null) {
        p.setNull(7, java.sql.Types.BIGINT);
      } else {
        p.setLong(7, key.expires().toEpochMilli());
      }
      p.setLong(8, now.toEpochMilli());
      p.executeUpdate();
    } catch (SQLException e) {
      // Two replicas issuing one name at once: the second insert is refused by the primary key.
      throw new KeyFile.Refused(
          KeyFile.Problem.NAME_TAKEN, "key '" + name + "' not issued: " + e.getMessage());
    }
    return new KeyFile.Issued(
        secret,
        new KeyEntry(
            name,
            key.team(),
            key.project(),
            key.user(),
            false,
            today.toString(),
            key.expires(),
            true));
  }

  @Override
  public int revoke(String name) {
    try (Connection c = db.getConnection();
        PreparedStatement p =
            c.prepareStatement(
                "UPDATE virtual_keys SET revoked_ms = COALESCE(revoked_ms, ?), updated_ms = ?"
                    + " WHERE name = ?")) {
      long now = clock.millis();
      p.setLong(1, now);
      p.setLong(2, now);
      p.setString(3, name);
      int n = p.executeUpdate();
      if (n == 0) {
        throw new KeyFile.Refused(
            KeyFile.Problem.NOT_FOUND, "no key named '" + name + "' in " + where());
      }
      return n;
    } catch (SQLException e) {
      throw new IllegalStateException("cannot revoke '" + name + "': " + e.getMessage(), e);
    }
  }
}
