package dev.tollgate.metering;

import dev.tollgate.background.Courtesy;
import dev.tollgate.ledger.CallRecord;
import dev.tollgate.openai.Api;
import dev.tollgate.openai.ResponseFacts;
import dev.tollgate.openai.Usage;
import dev.tollgate.pricing.CostBreakdown;
import dev.tollgate.pricing.PricedCall;
import dev.tollgate.pricing.Pricer;
import dev.tollgate.pricing.PricingStatus;
import dev.tollgate.pricing.ToolQuota;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Prices each finished call and records it. Event loops hand calls over through a bounded queue;
 * the metering thread prices them and tells the listeners (ledger, metrics, access log). The slow
 * path, estimating tokens for a call whose usage never arrived, runs on its own thread.
 */
public final class Metering implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Metering.class);
  private static final Set<String> TERMINAL = Set.of("completed", "incomplete", "failed", "cancelled");
  private static final int MAX_WARNED = 10_000;
  private static final int MAX_BILLED_RESPONSES = 100_000;
  private static final int QUEUE = 65_536;
  private static final long DRAIN_INTERVAL_NANOS = 5_000_000;
  private static final int DRAIN_CHUNK = 4096;

  private final CatalogHolder catalog;
  private final Pricer pricer = new Pricer(new ToolQuota());
  private final List<CallListener> listeners;
  private final AccessLog accessLog;
  private final Estimations estimations = new Estimations();
  private final TokenEstimator estimator = new TokenEstimator();
  private final Set<String> warnedUnpriced = ConcurrentHashMap.newKeySet();
  private final Map<String, Boolean> billedResponses =
      Collections.synchronizedMap(new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
          return size() > MAX_BILLED_RESPONSES;
        }
      });
  private final String upstreamHost;
  private final BlockingQueue<Pending> pending = new ArrayBlockingQueue<>(QUEUE);
  private final Thread drainer;
  private volatile boolean running = true;

  /** @param listeners receive each priced call (ledger, metrics); they must not block */
  public Metering(CatalogHolder catalog, List<CallListener> listeners, AccessLog accessLog, String upstreamHost) {
    this.catalog = catalog;
    this.listeners = List.copyOf(listeners);
    this.accessLog = accessLog;
    this.upstreamHost = upstreamHost;
    this.drainer = new Thread(this::drainLoop, "tollgate-metering");
    drainer.setDaemon(true);
    drainer.start();
  }

  public CatalogHolder catalog() {
    return catalog;
  }

  /**
   * Records a finished call.
   *
   * @param facts what the response said, or {@link ResponseFacts#NONE} when it was not read
   * @param requestBody opens the request body again, for an estimate; called at most once, and
   *     then {@code release} is run when it is no longer needed
   */
  public void complete(CallContext call, ResponseFacts facts, Supplier<InputStream> requestBody, Runnable release) {
    // Event loops only hand the call over; pricing and recording run on the metering thread,
    // so they never delay the next request on the connection. A full queue is handled inline.
    Pending p = new Pending(call, facts, requestBody, release);
    if (!pending.offer(p)) {
      process(p);
    }
  }

  private record Pending(CallContext call, ResponseFacts facts, Supplier<InputStream> requestBody, Runnable release) {}

  /** Drains handed-over calls every few milliseconds: one wake-up per interval, not per call. */
  private void drainLoop() {
    List<Pending> batch = new ArrayList<>();
    Courtesy courtesy = new Courtesy(() -> pending.size() > DRAIN_CHUNK);
    while (running || !pending.isEmpty()) {
      pending.drainTo(batch, DRAIN_CHUNK);
      if (batch.isEmpty()) {
        LockSupport.parkNanos(DRAIN_INTERVAL_NANOS);
        courtesy.restart();
        continue;
      }
      for (Pending p : batch) {
        try {
          process(p);
        } catch (RuntimeException e) {
          LOG.error("Metering a call failed", e);
        }
        courtesy.pause();
      }
      batch.clear();
    }
  }

  private void process(Pending p) {
    CallContext call = p.call();
    ResponseFacts facts = p.facts();
    Supplier<InputStream> requestBody = p.requestBody();
    Runnable release = p.release();
    boolean deferred = call.api() == Api.RESPONSES && facts.usage() == null
        && ("queued".equals(facts.responseStatus()) || "in_progress".equals(facts.responseStatus()));
    boolean billable = (call.httpStatus() / 100 == 2 || call.httpStatus() == 499) && call.api().metered();
    if (facts.usage() != null || !billable || deferred) {
      release.run();
      record(call, facts, facts.usage(), deferred ? "billed_on_completion" : null);
      return;
    }
    // Billable, but no usage arrived: estimate off the event loop (tokenizing can take ms).
    estimations.submit(
        () -> estimator.estimate(requestBody.get(), facts.outputText(), facts.outputTextOverflow()),
        usage -> record(call, facts, usage, "usage_missing"),
        release);
  }

  private void record(CallContext call, ResponseFacts facts, Usage usage, String note) {
    String model = facts.model() != null ? facts.model() : call.requestedModel();
    String tier = facts.serviceTier() != null ? facts.serviceTier() : call.requestedTier();
    List<String> reasons = new ArrayList<>();
    PricedCall priced;
    if (usage == null || "billed_on_completion".equals(note)) {
      priced = new PricedCall(PricingStatus.PRICED, null, null, CostBreakdown.ZERO, List.of());
      reasons.add(note != null ? note : "not_billable");
      usage = Usage.ZERO;
    } else if (alreadyBilled(facts)) {
      priced = new PricedCall(PricingStatus.PRICED, null, null, CostBreakdown.ZERO, List.of());
      reasons.add("already_billed:" + facts.responseId());
    } else {
      priced = pricer.price(catalog.catalog(), model, tier, usage, facts.toolCalls(), call.start());
      reasons.addAll(priced.reasons());
      if (note != null) {
        reasons.add(0, note);
      }
    }
    PricingStatus status = priced.status();
    if (status == PricingStatus.PRICED && "usage_missing".equals(note)) {
      status = PricingStatus.ESTIMATED;
    }
    if (status == PricingStatus.UNPRICED && model != null && warnedUnpriced.size() < MAX_WARNED && warnedUnpriced.add(model)) {
      LOG.warn("No price for model '{}': its calls are recorded as unpriced. Add it to the price catalog.", model);
    }
    Instant end = call.start().plusNanos(call.totalNanos());
    CallRecord record = new CallRecord(
        call.id(), call.start(), end, call.api().label(), call.method(), call.path(), upstreamHost,
        call.requestedModel(), facts.model(), call.requestedTier(), facts.serviceTier(), call.httpStatus(), call.stream(),
        usage, facts.toolCalls(), priced.cost(), status, priced.priceVersion(), reasons,
        call.totalNanos() / 1_000_000, call.ttftNanos() < 0 ? -1 : call.ttftNanos() / 1_000_000, facts.error(),
        call.attribution(), priced.savings());
    for (CallListener l : listeners) {
      l.onCall(record, call);
    }
    accessLog.log(record, call.upstreamNanos(), call.totalNanos(), call.outcome());
  }

  /** A Responses id is billed at its first terminal status only (retrievals repeat the usage). */
  private boolean alreadyBilled(ResponseFacts facts) {
    if (facts.responseId() == null || facts.responseStatus() == null || !TERMINAL.contains(facts.responseStatus())) {
      return false;
    }
    return billedResponses.putIfAbsent(facts.responseId(), Boolean.TRUE) != null;
  }

  /** Meters every call handed over so far, then stops; estimates finish before the catalog closes. */
  @Override
  public void close() {
    running = false;
    try {
      drainer.join(30_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    estimations.close();
    catalog.close();
  }
}
