package dev.tollgate.server;

import dev.tollgate.attribution.Attributor;
import dev.tollgate.attribution.KeyFile;
import dev.tollgate.attribution.KeyStore;
import dev.tollgate.attribution.Keys;
import dev.tollgate.budget.Alerts;
import dev.tollgate.budget.BudgetBook;
import dev.tollgate.budget.BudgetGate;
import dev.tollgate.budget.BudgetMeters;
import dev.tollgate.budget.BudgetSync;
import dev.tollgate.config.AttributionConfig;
import dev.tollgate.config.ConfigException;
import dev.tollgate.config.ReloadingFile;
import dev.tollgate.config.TollgateConfig;
import dev.tollgate.config.UsageConfig;
import dev.tollgate.jobs.JobScheduler;
import dev.tollgate.jobs.PartitionsJob;
import dev.tollgate.jobs.RetentionJob;
import dev.tollgate.ledger.BudgetLedger;
import dev.tollgate.ledger.Database;
import dev.tollgate.ledger.JobLeases;
import dev.tollgate.ledger.KeyRecords;
import dev.tollgate.ledger.LedgerReader;
import dev.tollgate.ledger.LedgerWriter;
import dev.tollgate.ledger.PriceHistory;
import dev.tollgate.ledger.PriceSources;
import dev.tollgate.ledger.Repricings;
import dev.tollgate.ledger.Retention;
import dev.tollgate.ledger.ToolQuotaCounts;
import dev.tollgate.metering.AccessLog;
import dev.tollgate.metering.CatalogHolder;
import dev.tollgate.metering.Metering;
import dev.tollgate.metrics.Metrics;
import dev.tollgate.pricing.ToolQuota;
import dev.tollgate.reconcile.DailyReconcile;
import dev.tollgate.report.SpendReports;
import dev.tollgate.reprice.AutoReprice;
import dev.tollgate.reprice.RepriceService;
import dev.tollgate.reprice.Repricer;
import dev.tollgate.sync.PriceSync;
import dev.tollgate.telemetry.Tracing;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.function.Supplier;

/**
 * Everything behind the relay that outlives a call: the ledger, metering, attribution, reports.
 * Built before any port opens (a bad catalog, keys file or database stops start-up), and closed in
 * dependency order so every finished call reaches the ledger.
 */
final class Services implements AutoCloseable {
  final AccessLog accessLog;
  final Database database;
  final LedgerWriter ledgerWriter;
  final LedgerReader ledgerReader;
  final Metering metering;
  final Metrics metrics;
  final ReloadingFile<Keys> keys;

  /**
   * Where keys are issued and revoked: the ledger when it is shared (PostgreSQL), else the file.
   */
  final KeyStore keyStore;

  /** The keys calls are checked against: the file's, with the ledger's when it is shared. */
  final Supplier<Keys> activeKeys;

  private final SharedKeys sharedKeys; // null on the embedded ledger
  final Attributor attributor;
  final SpendReports reports;
  final RepriceService repricing;
  final PriceSync priceSync;
  final PriceSources priceSources;
  final AutoReprice autoReprice; // null when pricing.reprice is off
  final BudgetGate budgets;
  final BudgetSync budgetSync;
  final DailyReconcile reconcile;
  final JobLeases jobLeases;
  final JobScheduler jobs;
  final CatalogHolder catalog;
  final Tracing tracing;

  Services(TollgateConfig config) {
    accessLog = new AccessLog(config.logging().accessLog());
    UsageConfig usage = config.usage();
    AttributionConfig attribution = config.attribution();
    keys =
        new ReloadingFile<>(
            attribution.keysFile(), "keys", usage.catalogReloadInterval(), Keys::load);
    database = Database.open(config.ledger(), config.dataDir());
    if (database.postgres()) {
      KeyRecords records = new KeyRecords(database.dataSource(), Clock.systemUTC());
      sharedKeys = new SharedKeys(keys::get, records, attribution.keysSyncInterval());
      keyStore = records;
      activeKeys = sharedKeys;
    } else {
      sharedKeys = null;
      keyStore = new KeyFile(attribution.keysFile(), Clock.systemUTC());
      activeKeys = keys::get;
    }
    priceSources = new PriceSources(database);
    try {
      priceSync =
          new PriceSync(
              config.pricing(),
              new PriceHistory(database),
              priceSources,
              config.dataDir(),
              Clock.systemUTC());
    } catch (SQLException e) {
      throw new ConfigException("cannot read the price history: " + e.getMessage(), e);
    }
    catalog =
        new CatalogHolder(
            usage.catalog(),
            config.upstream().host(),
            usage.catalogReloadInterval(),
            priceSync::catalog,
            priceProviders(config));
    ledgerWriter = new LedgerWriter(database, config.ledger());
    ledgerReader = new LedgerReader(database.dataSource());
    metrics = new Metrics(config.metrics(), config.telemetry(), catalog::catalog);
    metrics.bind(ledgerWriter);
    budgets =
        new BudgetGate(
            new BudgetBook(),
            config.budgets(),
            catalog::catalog,
            ledgerWriter::accepted,
            Clock.systemUTC());
    BudgetLedger budgetLedger = new BudgetLedger(database.dataSource());
    budgetSync =
        new BudgetSync(
            budgets,
            budgetLedger,
            config.budgets(),
            ledgerWriter::done,
            new Alerts(config.budgets(), budgetLedger),
            Clock.systemUTC());
    metrics.bind(new BudgetMeters(budgets, budgetSync));
    tracing = Tracing.start(config.telemetry());
    metrics.bind(tracing.meters());
    metering =
        new Metering(
            catalog,
            // The budgets settle after the writer took the call: its stamp then counts this call.
            List.of(
                ledgerWriter::offer,
                metrics,
                budgets,
                Services.onMissed(priceSync),
                tracing.calls()),
            accessLog,
            config.upstream().host(),
            usage.maxTokensPerCall(),
            // Free daily tool quotas (Gemini grounding) are counted in the ledger: restarts and
            // replicas share them.
            new ToolQuota(new ToolQuotaCounts(database.dataSource())));
    attributor =
        new Attributor(
            activeKeys,
            new Attributor.Headers(
                attribution.teamHeader(),
                attribution.projectHeader(),
                attribution.userHeader(),
                attribution.tagsHeader()));
    reports = new SpendReports(ledgerReader, catalog::catalog);
    reconcile = new DailyReconcile(config.reconcile(), ledgerReader, Clock.systemUTC());
    metrics.bind(reconcile);
    jobLeases = new JobLeases(database.dataSource());
    // Jobs that write or call out run on one replica at a time (elected through the ledger).
    jobs =
        new JobScheduler(
            jobLeases,
            budgetSync.replica(),
            config.jobs().tick(),
            config.jobs().lease(),
            Clock.systemUTC());
    if (reconcile.scheduled()) {
      jobs.add(reconcile);
    }
    Retention retention = new Retention(database, config.ledger().retentionDays());
    if (retention.enabled()) {
      jobs.add(new RetentionJob(retention, Clock.systemUTC()));
    }
    if (database.postgres()) {
      jobs.add(new PartitionsJob(database, Clock.systemUTC()));
    }
    repricing =
        new RepriceService(
            new Repricer(ledgerReader, new Repricings(database.dataSource()), Clock.systemUTC()),
            catalog::catalog,
            change -> metrics.repriced(change.before(), change.after()));
    autoReprice =
        config.pricing().autoReprice()
            ? new AutoReprice(
                repricing, catalog::catalog, config.pricing().repriceWindow(), Clock.systemUTC())
            : null;
    if (autoReprice != null) {
      jobs.add(autoReprice);
    }
    jobs.start();
  }

  /**
   * Pending estimates land in the ledger queue, then the queue is written out, then the pool
   * closes.
   */
  /** After this replica issued or revoked a key: in force here when the answer leaves. */
  void reloadKeys() {
    keys.reload();
    if (sharedKeys != null) {
      sharedKeys.refresh();
    }
  }

  @Override
  public void close() {
    priceSync.close();
    jobs.close();
    budgetSync.close();
    metering.close();
    tracing.close();
    ledgerWriter.close();
    database.close();
    keys.close();
    if (sharedKeys != null) {
      sharedKeys.close();
    }
    metrics.close();
    accessLog.close();
  }

  /** Each upstream host, and the provider its calls are priced as in a synced price map. */
  private static java.util.Map<String, String> priceProviders(TollgateConfig config) {
    java.util.Map<String, String> out = new java.util.HashMap<>();
    for (dev.tollgate.config.NamedUpstream u : config.routing().upstreams().values()) {
      String provider = u.priceProvider();
      if (provider != null) {
        out.putIfAbsent(u.config().host(), provider);
      }
    }
    return out;
  }

  /**
   * A call whose model no catalog knows has the price sources fetched again (at most once per
   * {@code pricing.refetch_on_miss}), off the request path: the new price then reprices it.
   */
  private static dev.tollgate.metering.CallListener onMissed(PriceSync sync) {
    return c -> {
      if (c.status() == dev.tollgate.call.PricingStatus.UNPRICED && c.model() != null) {
        for (dev.tollgate.call.Reason r : c.charge().reasons()) {
          if (r.kind() == dev.tollgate.call.Reason.Kind.NO_PRICE && c.model().equals(r.detail())) {
            sync.missed(c.model());
          }
        }
      }
    };
  }
}
