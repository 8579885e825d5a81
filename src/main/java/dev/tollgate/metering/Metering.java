package dev.tollgate.metering;

import dev.tollgate.background.Courtesy;
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
  private static final Runnable NOTHING = () -> {};

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
   * @param release frees the request body: run here, on the caller's thread, unless the call's
   *     tokens will be estimated from the body
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
    UsageVerdict verdict = UsageVerdict.of(asked, relay, facts, maxTokensPerCall);
    if (!verdict.estimate()) {
      // The body is kept only for a call whose tokens will be estimated from it. Any other is
      // released here, on the event loop that read it and whose allocator takes it back: freed
      // on the metering thread, 20 KB prompts cost that thread 2 µs a call more. And a metering
      // backlog (up to QUEUE calls) no longer holds bodies it will never read.
      try {
        release.run();
      } catch (RuntimeException e) {
        LOG.error("Releasing a request body failed; the call is metered all the same", e);
      }
    }
    Pending p =
        verdict.estimate()
            ? new Pending(asked, relay, facts, verdict, requestBody, release, host, provider)
            : new Pending(asked, relay, facts, verdict, null, NOTHING, host, provider);
    if (!pending.offer(p)) {
      process(p);
    }
  }

  private record Pending(
      Call.Request asked,
      Call.Relay relay,
      ResponseFacts facts,
      UsageVerdict verdict,
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
    UsageVerdict v = p.verdict();
    if (!v.estimate()) {
      record(p, v.usage(), v.note());
      return;
    }
    // Billable, but no usage to believe: estimate off the event loop (tokenizing can take ms).
    ResponseFacts facts = p.facts();
    estimations.submit(
        () ->
            estimator.estimate(
                p.requestBody().get(), facts.outputText(), facts.outputTextOverflow()),
        estimate -> record(p, estimate, v.note()),
        p.release());
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
      if (note != null && UsageVerdict.estimated(note) && usage.total() == 0) {
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
