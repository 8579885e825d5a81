package dev.tollgate.metering;

import dev.tollgate.background.Courtesy;
import dev.tollgate.call.Api;
import dev.tollgate.call.Call;
import dev.tollgate.call.Call.Charge;
import dev.tollgate.call.PricingStatus;
import dev.tollgate.call.Reason;
import dev.tollgate.call.Usage;
import dev.tollgate.openai.ResponseFacts;
import dev.tollgate.openai.ResponseStatus;
import dev.tollgate.pricing.Pricer;
import dev.tollgate.pricing.ToolQuota;
import java.io.InputStream;
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
  private static final int MAX_WARNED = 10_000;
  private static final int MAX_BILLED_RESPONSES = 100_000;
  private static final int QUEUE = 65_536;
  private static final long DRAIN_INTERVAL_NANOS = 5_000_000;
  private static final int DRAIN_CHUNK = 4096;

  private final CatalogHolder catalog;
  private final Pricer pricer;
  private final List<CallListener> listeners;
  private final AccessLog accessLog;
  private final Estimations estimations = new Estimations();
  private final TokenEstimator estimator = new TokenEstimator();
  private final Set<String> warnedUnpriced = ConcurrentHashMap.newKeySet();
  private final Map<String, Boolean> billedResponses =
      Collections.synchronizedMap(
          new LinkedHashMap<>(1024, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
              return size() > MAX_BILLED_RESPONSES;
            }
          });
  private final String upstreamHost;
  private final long maxTokensPerCall;
  private final BlockingQueue<Pending> pending = new ArrayBlockingQueue<>(QUEUE);
  private final Thread drainer;
  private volatile boolean running = true;

  /**
   * @param listeners receive each priced call (ledger, metrics); they must not block
   * @param maxTokensPerCall reported usage beyond this is not believed (see {@code UsageConfig})
   */
  public Metering(
      CatalogHolder catalog,
      List<CallListener> listeners,
      AccessLog accessLog,
      String upstreamHost,
      long maxTokensPerCall,
      ToolQuota quota) {
    this.catalog = catalog;
    this.pricer = new Pricer(quota);
    this.maxTokensPerCall = maxTokensPerCall;
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
   * @param requestBody opens the request body again, for an estimate; called at most once, and then
   *     {@code release} is run when it is no longer needed
   */
  public void complete(
      Call.Request asked,
      Call.Relay relay,
      ResponseFacts facts,
      Supplier<InputStream> requestBody,
      Runnable release) {
    complete(asked, relay, facts, requestBody, release, upstreamHost, null);
  }

  /** As above, for a call sent to {@code host} (one of several upstreams). */
  public void complete(
      Call.Request asked,
      Call.Relay relay,
      ResponseFacts facts,
      Supplier<InputStream> requestBody,
      Runnable release,
      String host,
      String provider) {
    // Event loops only hand the call over; pricing and recording run on the metering thread,
    // so they never delay the next request on the connection. A full queue is handled inline.
    Pending p = new Pending(asked, relay, facts, requestBody, release, host, provider);
    if (!pending.offer(p)) {
      process(p);
    }
  }

  private record Pending(
      Call.Request asked,
      Call.Relay relay,
      ResponseFacts facts,
      Supplier<InputStream> requestBody,
      Runnable release,
      String host,
      String provider) {}

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
    Call.Request asked = p.asked();
    ResponseFacts facts = p.facts();
    Reason doubt = doubt(facts);
    Usage usage = doubt == null ? facts.usage() : null;
    boolean deferred =
        asked.api() == Api.RESPONSES
            && facts.usage() == null
            && ResponseStatus.pending(facts.responseStatus());
    boolean billable =
        (p.relay().status() / 100 == 2 || p.relay().status() == 499) && asked.api().metered();
    if (usage != null || !billable || deferred) {
      p.release().run();
      record(p, usage, deferred ? Reason.of(Reason.Kind.BILLED_ON_COMPLETION) : null);
      return;
    }
    // Billable, but no usage to believe: estimate off the event loop (tokenizing can take ms).
    Reason why = doubt != null ? doubt : Reason.of(Reason.Kind.USAGE_MISSING);
    if (!asked.api().estimable()) {
      p.release().run(); // audio: nothing to estimate from, so recorded unpriced, never $0
      record(p, Usage.ZERO, why);
      return;
    }
    estimations.submit(
        () ->
            estimator.estimate(
                p.requestBody().get(), facts.outputText(), facts.outputTextOverflow()),
        estimate -> record(p, estimate, why),
        p.release());
  }

  /** Why the response's usage cannot be believed, or null when it can (or there is none). */
  private Reason doubt(ResponseFacts facts) {
    if (facts.usageInvalid() != null) {
      return Reason.of(Reason.Kind.USAGE_INVALID, facts.usageInvalid());
    }
    if (facts.usage() != null && facts.usage().total() > maxTokensPerCall) {
      return Reason.of(Reason.Kind.USAGE_OUT_OF_RANGE, facts.usage().total());
    }
    return null;
  }

  /**
   * @param note why the usage is not simply the response's (estimated, or billed later), or null
   */
  private void record(Pending p, Usage reported, Reason note) {
    Call.Request asked = p.asked();
    if (asked.trace() != null && asked.trace().capturing()) {
      asked = asked.traced(asked.trace().completed(p.facts().outputText()));
    }
    // OpenAI reports one count of cache writes; which retention they were made with is what the
    // request asked for (a long one is billed at the model's long-retention write rate).
    Usage usage =
        reported != null && asked.extendedCacheRetention() && reported.cacheWrite1h() == 0
            ? reported.withLongCacheWrites()
            : reported;
    ResponseFacts facts = p.facts();
    boolean replay = usage != null && alreadyBilled(facts);
    // A replay (a retrieval or resumed stream of a response already billed) did no new work.
    Call.Served served =
        new Call.Served(
            p.host(),
            facts.model(),
            facts.serviceTier(),
            usage == null || replay ? Usage.ZERO : usage,
            replay ? Map.of() : facts.toolCalls(),
            facts.error(),
            p.provider(),
            facts.messageId(),
            facts.finishReasons());
    Reason nothing =
        replay
            ? Reason.of(Reason.Kind.ALREADY_BILLED, facts.responseId())
            : note != null ? note : Reason.of(Reason.Kind.NOT_BILLABLE);
    Call call = new Call(asked, p.relay(), served, Charge.nothing(nothing));
    if (usage != null && !replay) {
      Charge charge =
          pricer.price(
              catalog.catalog(p.host()),
              call.model(),
              call.tier(),
              usage,
              facts.toolCalls(),
              asked.start());
      call = call.withCharge(note == null ? charge : charge.noting(note, PricingStatus.ESTIMATED));
      if (note != null && estimated(note) && usage.total() == 0) {
        // An estimate of nothing is not a cost of $0: the call did work that went unreported.
        call =
            call.withCharge(
                Charge.unpriced(note)
                    .noting(Reason.of(Reason.Kind.NOTHING_TO_ESTIMATE), PricingStatus.UNPRICED));
      }
    }
    String model = call.model();
    if (call.status() == PricingStatus.UNPRICED
        && model != null
        && warnedUnpriced.size() < MAX_WARNED
        && warnedUnpriced.add(model)) {
      LOG.warn(
          "No price for model '{}': its calls are recorded as unpriced. Add it to the price catalog.",
          model);
    }
    for (CallListener l : listeners) {
      l.onCall(call);
    }
    accessLog.log(call);
  }

  /** A reason that means the tokens were estimated, not reported. */
  private static boolean estimated(Reason r) {
    return r.kind() == Reason.Kind.USAGE_MISSING
        || r.kind() == Reason.Kind.USAGE_INVALID
        || r.kind() == Reason.Kind.USAGE_OUT_OF_RANGE;
  }

  /** A Responses id is billed at its first terminal status only (retrievals repeat the usage). */
  private boolean alreadyBilled(ResponseFacts facts) {
    if (facts.responseId() == null || !ResponseStatus.terminal(facts.responseStatus())) {
      return false;
    }
    return billedResponses.putIfAbsent(facts.responseId(), Boolean.TRUE) != null;
  }

  /**
   * Meters every call handed over so far, then stops; estimates finish before the catalog closes.
   */
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
