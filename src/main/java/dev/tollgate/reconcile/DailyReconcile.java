package dev.tollgate.reconcile;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.tollgate.config.ReconcileConfig;
import dev.tollgate.jobs.Job;
import dev.tollgate.ledger.LedgerReader;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The scheduled reconciliation ({@code reconcile.schedule: daily}), a {@link Job}: on one replica
 * at a time, once shortly after the first start and then every day at {@code reconcile.at} (UTC),
 * for the last {@code reconcile.days} days. Its result is kept in the ledger for every replica's
 * {@code GET /admin/reconcile}; the replica that ran it sets the drift gauges.
 */
public final class DailyReconcile implements MeterBinder, Job {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Logger LOG = LoggerFactory.getLogger(DailyReconcile.class);

  /** What the last run found, or why it failed. */
  public record Result(
      Instant ranAt, LocalDate from, LocalDate to, List<Finding> findings, String error) {}

  private final ReconcileConfig config;
  private final LedgerReader ledger;
  private final Clock clock;
  private final Map<String, Double> driftByModel = new ConcurrentHashMap<>();
  private final Set<String> gauged = ConcurrentHashMap.newKeySet();
  private volatile MeterRegistry registry;

  public DailyReconcile(ReconcileConfig config, LedgerReader ledger, Clock clock) {
    this.config = config;
    this.ledger = ledger;
    this.clock = clock;
  }

  /** Whether it is scheduled at all ({@code reconcile.schedule: daily}). */
  public boolean scheduled() {
    return config.daily();
  }

  @Override
  public String name() {
    return "reconcile";
  }

  /**
   * Due {@code reconcile.first_run_after} after start if it never ran on any replica, then once
   * each day at {@code reconcile.at} (UTC): when the last run began before the latest such time.
   */
  @Override
  public boolean due(Instant lastRun, Instant started, Instant now) {
    if (lastRun == null) {
      return !now.isBefore(started.plus(config.firstRunAfter()));
    }
    ZonedDateTime at = now.atZone(ZoneOffset.UTC).with(config.at());
    if (at.toInstant().isAfter(now)) {
      at = at.minusDays(1);
    }
    return lastRun.isBefore(at.toInstant());
  }

  @Override
  public Duration maxRun() {
    return Duration.ofMinutes(10);
  }

  /** Runs it and returns what {@code GET /admin/reconcile} shows, for every replica to serve. */
  @Override
  public String run() {
    return json(runOnce());
  }

  /** A run as {@code GET /admin/reconcile} shows it. */
  public static String json(Result r) {
    ObjectNode json = JSON.createObjectNode();
    json.put("ran_at", r.ranAt().toString());
    json.put("from", r.from().toString());
    json.put("to", r.to().toString());
    if (r.error() != null) {
      json.put("error", r.error());
    }
    json.setAll(ReconcileRenderer.tree(r.findings()));
    return json.toString();
  }

  /** Runs now (blocking). */
  public Result runOnce() {
    LocalDate today = clock.instant().atZone(ZoneOffset.UTC).toLocalDate();
    LocalDate from = today.minusDays(config.days());
    Result r;
    try {
      List<Finding> findings =
          Reconciliation.run(
              new OpenAiBill(config.url(), config.adminKey().orElse(""), Duration.ofSeconds(10)),
              ledger,
              from,
              today,
              new Reconciler.Tolerance(config.toleranceUsd(), config.tolerancePercent()),
              config.projects());
      r = new Result(clock.instant(), from, today, findings, null);
      long off = findings.stream().filter(f -> f.kind() != Finding.Kind.MATCHED).count();
      if (off > 0) {
        LOG.warn(
            "Reconciliation {} to {}: {} finding(s) differ from OpenAI's bill", from, today, off);
      }
    } catch (Exception e) {
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      r = new Result(clock.instant(), from, today, List.of(), e.toString());
      LOG.error("Reconciliation {} to {} failed: {}", from, today, e.toString());
    }
    gauge(r);
    return r;
  }

  /**
   * Per model, the drift (ledger − bill) over the last run's days, from the rows per day, model and
   * tier (the per-team rows repeat them); "all" also counts the bill's unread line items, which
   * name no model (and may balance a model's drift: tool fees billed on a line of their own).
   */
  private void gauge(Result r) {
    Map<String, Double> now = new java.util.HashMap<>();
    BigDecimal all = BigDecimal.ZERO;
    for (Finding f : r.findings()) {
      if (f.team() != null) {
        continue;
      }
      if (f.kind() != Finding.Kind.UNREAD) {
        now.merge(f.model(), f.driftUsd().doubleValue(), Double::sum);
      }
      all = all.add(f.driftUsd());
    }
    now.put("all", all.doubleValue());
    driftByModel.keySet().retainAll(now.keySet());
    driftByModel.putAll(now);
    MeterRegistry reg = registry;
    if (reg != null) {
      now.keySet().forEach(model -> register(reg, model));
    }
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    this.registry = registry;
    driftByModel.putIfAbsent("all", 0.0); // present from the start: 0 until a run says otherwise
    driftByModel.keySet().forEach(model -> register(registry, model));
  }

  private void register(MeterRegistry reg, String model) {
    if (gauged.add(model)) {
      Gauge.builder(
              "tollgate_reconcile_drift_usd", driftByModel, m -> m.getOrDefault(model, Double.NaN))
          .description("Ledger minus OpenAI's bill over the last reconciliation's days, by model")
          .baseUnit("usd")
          .tags("provider", "openai", "model", model)
          .register(reg);
    }
  }
}
