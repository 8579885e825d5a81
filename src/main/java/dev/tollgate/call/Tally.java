package dev.tollgate.call;

import java.math.BigDecimal;

/**
 * Running sums over a group of calls: requests (and how many were unpriced or estimated), tokens by
 * {@link TokenKind}, cost by {@link CostComponent} in pico-dollars. The ledger keeps one per day
 * and group; reports add them up, or add raw calls into one. Not thread-safe.
 */
public final class Tally {
  private static final TokenKind[] KINDS = TokenKind.values();
  private static final CostComponent[] COMPONENTS = CostComponent.values();

  private long requests;
  private long unpriced;
  private long estimated;
  private long repriced;
  private final long[] tokens = new long[KINDS.length];
  private final long[] picos = new long[COMPONENTS.length];

  /** Adds one call. */
  public Tally add(Call c) {
    return add(c, 1);
  }

  /**
   * Takes one call back out: with {@code add} of its new state, a repriced call's change to a
   * stored tally, so that sums stay the sums of the calls as they are now.
   */
  public Tally subtract(Call c) {
    return add(c, -1);
  }

  private Tally add(Call c, int sign) {
    requests += sign;
    unpriced += c.status() == PricingStatus.UNPRICED ? sign : 0;
    estimated += c.status() == PricingStatus.ESTIMATED ? sign : 0;
    repriced += c.charge().repriced() ? sign : 0;
    for (TokenKind k : KINDS) {
      tokens[k.ordinal()] += sign * k.of(c.usage());
    }
    for (CostComponent p : COMPONENTS) {
      picos[p.ordinal()] += sign * Money.toPico(c.cost().get(p));
    }
    return this;
  }

  /** Adds another tally's sums. */
  public Tally add(Tally other) {
    requests += other.requests;
    unpriced += other.unpriced;
    estimated += other.estimated;
    repriced += other.repriced;
    for (int i = 0; i < tokens.length; i++) {
      tokens[i] += other.tokens[i];
    }
    for (int i = 0; i < picos.length; i++) {
      picos[i] += other.picos[i];
    }
    return this;
  }

  /** Adds counts read back from storage. */
  public Tally addCounts(long requests, long unpriced, long estimated, long repriced) {
    this.requests += requests;
    this.unpriced += unpriced;
    this.estimated += estimated;
    this.repriced += repriced;
    return this;
  }

  public Tally addTokens(TokenKind kind, long n) {
    tokens[kind.ordinal()] += n;
    return this;
  }

  public Tally addPicos(CostComponent component, long pico) {
    picos[component.ordinal()] += pico;
    return this;
  }

  public long requests() {
    return requests;
  }

  public long unpricedRequests() {
    return unpriced;
  }

  public long estimatedRequests() {
    return estimated;
  }

  /** Calls whose cost was corrected after they were recorded (see {@code tollgate reprice}). */
  public long repricedRequests() {
    return repriced;
  }

  public long tokens(TokenKind kind) {
    return tokens[kind.ordinal()];
  }

  public long picos(CostComponent component) {
    return picos[component.ordinal()];
  }

  public BigDecimal cost(CostComponent component) {
    return Money.fromPico(picos[component.ordinal()]);
  }

  /** The sum of the components, in pico-dollars. */
  public long totalPicos() {
    long sum = 0;
    for (long p : picos) {
      sum += p;
    }
    return sum;
  }

  public BigDecimal total() {
    return Money.fromPico(totalPicos());
  }
}
