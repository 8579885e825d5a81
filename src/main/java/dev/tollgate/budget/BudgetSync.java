package dev.tollgate.budget;

import dev.tollgate.config.BudgetsConfig;
import dev.tollgate.config.ConfigException;
import dev.tollgate.ledger.BudgetLedger;
import java.net.InetAddress;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The budgets' background thread. Every {@code budgets.sync_interval} it reloads the definitions
 * (budgets.yaml and the API's), reads each budget's spend from the ledger, publishes this replica's
 * holds and reads the other replicas', fires the alerts whose threshold was crossed, and gives back
 * holds that were never settled. The proxy never waits for it.
 */
public final class BudgetSync implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BudgetSync.class);

  private final BudgetGate gate;
  private final BudgetLedger ledger;
  private final BudgetsConfig config;
  private final Alerts alerts;
  private final Clock clock;
  private final String replica;
  private final ScheduledExecutorService thread;
  private final Set<String> firedHere = new HashSet<>(); // budget|period|threshold, this period
  private final ForecastAlerts forecasts;
  private volatile String loadProblem;
  private Object fileStamp; // the sync thread's (and start-up's) only
  private List<Budget> fileBudgets = List.of();
  private volatile Runnable onSynced = () -> {};
  private final Shares shares;
  private final TopUps topUps;

  /**
   * @param committedStamp how many accepted calls the ledger writer has committed (or given up on)
   */
  public BudgetSync(
      BudgetGate gate,
      BudgetLedger ledger,
      BudgetsConfig config,
      LongSupplier committedStamp,
      Alerts alerts,
      Clock clock) {
    this.gate = gate;
    this.ledger = ledger;
    this.forecasts = new ForecastAlerts(ledger);
    this.config = config;
    this.alerts = alerts;
    this.clock = clock;
    this.replica = host() + "-" + UUID.randomUUID().toString().substring(0, 8);
    this.shares = new Shares(gate.book(), ledger, replica, committedStamp);
    reloadDefinitions(); // a bad budgets.yaml stops start-up (ConfigException), like the catalog
    syncOnce();
    this.thread =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "tollgate-budgets");
              t.setDaemon(true);
              return t;
            });
    long every = config.syncInterval().toMillis();
    thread.scheduleWithFixedDelay(this::tick, every, every, TimeUnit.MILLISECONDS);
    this.topUps = new TopUps(gate.book(), shares, thread, config.lease(), clock);
    gate.topUps(topUps::request);
  }

  /** Runs after every sync, on the sync thread (the metrics register new budgets here). */
  public void onSynced(Runnable r) {
    onSynced = r;
  }

  public Alerts alerts() {
    return alerts;
  }

  public String replica() {
    return replica;
  }

  /** Why the last reload of the definitions failed (the previous ones stay), or null. */
  public String loadProblem() {
    return loadProblem;
  }

  /**
   * Reloads the definitions and syncs now, on the sync thread (the admin API, after a change), and
   * waits for it: the change is in force when this returns.
   */
  public void refresh() throws InterruptedException {
    try {
      thread.submit(this::tick).get(30, TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException("budget sync did not finish: " + e, e);
    }
  }

  private void tick() {
    try {
      try {
        reloadDefinitions();
        loadProblem = null;
      } catch (ConfigException e) {
        if (!e.getMessage().equals(loadProblem)) {
          LOG.error("Budgets not reloaded, keeping the previous ones: {}", e.getMessage());
        }
        loadProblem = e.getMessage();
      }
      syncOnce();
      int expired = gate.expireHolds();
      if (expired > 0) {
        LOG.warn("{} budget reservations were never settled; given back", expired);
      }
    } catch (RuntimeException e) {
      LOG.error("Budget sync failed; retrying next interval", e); // the thread must go on
    }
  }

  /** budgets.yaml first (read-only through the API), then the API's own. */
  void reloadDefinitions() {
    List<Budget> all;
    try {
      all =
          BudgetDefinitions.inForce(
              fromFile(),
              ledger.definitions(),
              config.alerts(),
              bad ->
                  LOG.error("A budget in the ledger is not valid, ignored: {}", bad.getMessage()));
    } catch (SQLException e) {
      LOG.warn("Budgets defined through the API not read this time: {}", e.getMessage());
      return; // keep what is in force rather than drop the API's budgets
    }
    gate.book().define(all, clock.instant());
  }

  /** budgets.yaml as last parsed; parsed again only when its time or size changed. */
  private List<Budget> fromFile() {
    Object stamp;
    try {
      stamp =
          java.nio.file.Files.getLastModifiedTime(config.file())
              + "/"
              + java.nio.file.Files.size(config.file());
    } catch (java.io.IOException e) {
      stamp = "missing";
    }
    if (!stamp.equals(fileStamp)) {
      List<Budget> parsed = BudgetDefinitions.load(config.file(), config.alerts());
      fileBudgets = parsed; // a file that does not parse throws before this: retried next tick
      fileStamp = stamp;
    }
    return fileBudgets;
  }

  /** One round: spend, holds, alerts. Blocking; runs on this class's thread (and at start). */
  public void syncOnce() {
    Instant now = clock.instant();
    long liveAfter = now.toEpochMilli() - config.lease().toMillis();
    for (BudgetBook.Snapshot s : gate.book().snapshot(now, true)) {
      try {
        shares.sync(s, now, liveAfter);
      } catch (SQLException e) {
        LOG.warn("Budget '{}' not synced this time: {}", s.budget().name(), e.getMessage());
      }
    }
    fireAlerts(now);
    onSynced.run();
  }

  /** Top-ups run so far (each one budget's database round trip). */
  public long topUps() {
    return topUps.topUps();
  }

  private void fireAlerts(Instant now) {
    for (BudgetBook.Status st : gate.book().status(now)) {
      Budget b = st.budget();
      if (b.limitPico() <= 0) {
        continue;
      }
      long periodStart = st.window().start().toEpochMilli();
      for (int threshold : b.alerts()) {
        String key = b.name() + "|" + periodStart + "|" + threshold;
        if (firedHere.contains(key)) {
          continue;
        }
        long forecastPico = 0;
        if (threshold == Budget.FORECAST) {
          try {
            var crossing = forecasts.crossing(st, now);
            if (crossing.isEmpty()) {
              continue;
            }
            forecastPico = crossing.getAsLong();
          } catch (SQLException e) {
            LOG.warn("Budget '{}' forecast not read this time: {}", b.name(), e.getMessage());
            continue;
          }
        } else if (!b.reached(st.spentPico(), threshold)) {
          continue; // spend only: reservations are not money spent yet
        }
        firedHere.add(key);
        try {
          if (ledger
              .alertRecords()
              .claim(b.name(), periodStart, threshold, replica, st.spentPico(), b.limitPico())) {
            alerts.fire(
                new Alert(b, st.window(), threshold, st.spentPico(), forecastPico, now, replica));
          }
        } catch (SQLException e) {
          firedHere.remove(key); // try again next round
          LOG.warn("Budget alert for '{}' not claimed this time: {}", b.name(), e.getMessage());
        }
      }
    }
    if (firedHere.size() > 10_000) {
      firedHere.clear(); // old periods' keys; the ledger's primary key still fires each once
    }
  }

  @Override
  public void close() {
    gate.topUps(null);
    thread.shutdownNow();
    topUps.close(); // a call still waiting is decided on what is known
    try {
      thread.awaitTermination(5, TimeUnit.SECONDS);
      ledger.withdraw(replica);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (SQLException e) {
      LOG.warn(
          "Budget holds of this replica not withdrawn (they lapse with the lease): {}",
          e.getMessage());
    }
    alerts.close();
  }

  private static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      return "replica";
    }
  }
}
