package dev.tollgate.ledger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The {@code jobs} table: which replica holds each background job's lease, until when, and the
 * job's last run. Taking or renewing a lease is one conditional upsert, so two replicas asking at
 * once cannot both get it, on SQLite or PostgreSQL.
 */
public final class JobLeases {
  /** One job as the table has it; the last-run fields are null before its first run. */
  public record Lease(
      String job,
      String holder,
      Instant leaseUntil,
      Instant lastRun,
      String lastRunBy,
      String lastOutcome) {}

  private final DataSource db;

  public JobLeases(DataSource db) {
    this.db = db;
  }

  /**
   * Takes {@code job}'s lease for {@code replica} until {@code until}, or renews it: true when this
   * replica holds it now (it did, or the last holder's lapsed), false when another does.
   */
  public boolean hold(String job, String replica, Instant now, Instant until) throws SQLException {
    try (Connection c = db.getConnection();
        PreparedStatement p =
            c.prepareStatement(
                "INSERT INTO jobs (job, holder, lease_until_ms) VALUES (?, ?, ?)"
                    + " ON CONFLICT (job) DO UPDATE SET holder = excluded.holder,"
                    + " lease_until_ms = excluded.lease_until_ms"
                    + " WHERE jobs.holder = excluded.holder OR jobs.lease_until_ms < ?")) {
      p.setString(1, job);
      p.setString(2, replica);
      p.setLong(3, until.toEpochMilli());
      p.setLong(4, now.toEpochMilli());
      return p.executeUpdate() == 1;
    }
  }

  /** Gives the lease up (a replica shutting down), so another takes it at once. */
  public void release(String job, String replica) throws SQLException {
    try (Connection c = db.getConnection();
        PreparedStatement p =
            c.prepareStatement("UPDATE jobs SET lease_until_ms = 0 WHERE job = ? AND holder = ?")) {
      p.setString(1, job);
      p.setString(2, replica);
      p.executeUpdate();
    }
  }

  /** Records a finished run; only the lease holder's record is kept. */
  public void finished(String job, String replica, Instant started, String outcome, String result)
      throws SQLException {
    try (Connection c = db.getConnection();
        PreparedStatement p =
            c.prepareStatement(
                "UPDATE jobs SET last_run_ms = ?, last_run_by = ?, last_outcome = ?,"
                    + " last_result = ? WHERE job = ? AND holder = ?")) {
      p.setLong(1, started.toEpochMilli());
      p.setString(2, replica);
      p.setString(3, outcome);
      p.setString(4, result);
      p.setString(5, job);
      p.setString(6, replica);
      p.executeUpdate();
    }
  }

  public Optional<Lease> get(String job) throws SQLException {
    return list().stream().filter(l -> l.job().equals(job)).findFirst();
  }

  /** The last run's result as the job left it (JSON), if it ran. */
  public Optional<String> lastResult(String job) throws SQLException {
    try (Connection c = db.getConnection();
        PreparedStatement p = c.prepareStatement("SELECT last_result FROM jobs WHERE job = ?")) {
      p.setString(1, job);
      try (ResultSet r = p.executeQuery()) {
        return r.next() ? Optional.ofNullable(r.getString(1)) : Optional.empty();
      }
    }
  }

  public List<Lease> list() throws SQLException {
    List<Lease> out = new ArrayList<>();
    try (Connection c = db.getConnection();
        PreparedStatement p =
            c.prepareStatement(
                "SELECT job, holder, lease_until_ms, last_run_ms, last_run_by, last_outcome"
                    + " FROM jobs ORDER BY job");
        ResultSet r = p.executeQuery()) {
      while (r.next()) {
        long last = r.getLong(4);
        boolean ran = !r.wasNull();
        out.add(
            new Lease(
                r.getString(1),
                r.getString(2),
                Instant.ofEpochMilli(r.getLong(3)),
                ran ? Instant.ofEpochMilli(last) : null,
                r.getString(5),
                r.getString(6)));
      }
    }
    return out;
  }
}
