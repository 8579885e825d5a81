package dev.tollgate.call;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;

/**
 * Running sums over a group of calls: requests (and how many were unpriced or estimated), tokens by
 * {@link TokenKind}, minute-metered audio, built-in tool calls, cost by {@link CostComponent} in
 * pico-dollars. The ledger keeps one per day and group; reports add them up, or add raw calls into
 * one. Not thread-safe.
 */
public final class Tally {
  private static final TokenKind[] KINDS = TokenKind.values();
  private static final CostComponent[] COMPONENTS = CostComponent.values();

  private long requests;
  private long unpriced;
  private long estimated;
  private long repriced;
  private final long[] tokens = new long[KINDS.length];
  private long durationMillis; // minute-metered audio
  private long toolCalls; // built-in tool calls, every kind together
  private final long[] picos = new long[COMPONENTS.length];
  // What no long could hold: a report's sums over a year can pass $9.2M in pico-dollars.
  private BigInteger[] spilled;

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
    durationMillis += sign * c.usage().durationMillis();
    Map<String, Long> tools = c.served().toolCalls();
    if (!tools.isEmpty()) { // an iterator per rollup per call otherwise, for most calls' empty map
      for (long n : tools.values()) {
        toolCalls += sign * n;
      }
    }
    for (CostComponent p : COMPONENTS) {
      addPicos(p, sign * c.cost().pico(p));
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
    durationMillis += other.durationMillis;
    toolCalls += other.toolCalls;
    for (CostComponent p : COMPONENTS) {
      addPicos(p, other.picos[p.ordinal()]);
      if (other.spilled != null && other.spilled[p.ordinal()] != null) {
        spill(p.ordinal(), other.spilled[p.ordinal()]);
      }
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

  /** Adds minute-metered audio read back from storage. */
  public Tally addDurationMillis(long millis) {
    durationMillis += millis;
    return this;
  }

  /** Adds built-in tool calls read back from storage. */
  public Tally addToolCalls(long calls) {
    toolCalls += calls;
    return this;
  }

  public Tally addPicos(CostComponent component, long pico) {
    int i = component.ordinal();
    try {
      picos[i] = Math.addExact(picos[i], pico);
    } catch (ArithmeticException e) {
      spill(i, BigInteger.valueOf(picos[i]).add(BigInteger.valueOf(pico)));
      picos[i] = 0;
    }
    return this;
  }

  private void spill(int i, BigInteger amount) {
    if (spilled == null) {
      spilled = new BigInteger[COMPONENTS.length];
    }
    spilled[i] = spilled[i] == null ? amount : spilled[i].add(amount);
  }

  private BigInteger exactPicos(int i) {
    BigInteger p = BigInteger.valueOf(picos[i]);
    return spilled == null || spilled[i] == null ? p : p.add(spilled[i]);
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

  /** Minute-metered audio, in milliseconds. */
  public long durationMillis() {
    return durationMillis;
  }

  /** Built-in tool calls (web search, file search, ...), every kind together. */
  public long toolCalls() {
    return toolCalls;
  }

  /** Minute-metered audio in seconds, exact (milliseconds as a decimal). */
  public BigDecimal durationSeconds() {
    return BigDecimal.valueOf(durationMillis, 3).stripTrailingZeros();
  }

  /** A component in pico-dollars; {@link ArithmeticException} past what a long holds. */
  public long picos(CostComponent component) {
    return exactPicos(component.ordinal()).longValueExact();
  }

  public BigDecimal cost(CostComponent component) {
    int i = component.ordinal();
    return spilled == null || spilled[i] == null
        ? BigDecimal.valueOf(picos[i], 12)
        : new BigDecimal(exactPicos(i), 12);
  }

  /** The sum of the components in pico-dollars; {@link ArithmeticException} past a long. */
  public long totalPicos() {
    // In longs while every partial sum fits (a report renders and sums every row's total: a
    // BigInteger per component each time was a fifth of a 10,000-group report's Java samples, by
    // JFR); exactly otherwise, since a later negative delta may bring the total back into a long.
    if (spilled == null) {
      try {
        long sum = 0;
        for (long p : picos) {
          sum = Math.addExact(sum, p);
        }
        return sum;
      } catch (ArithmeticException partialSumPastALong) {
        // summed exactly below
      }
    }
    return exactTotal().longValueExact();
  }

  public BigDecimal total() {
    try {
      return BigDecimal.valueOf(totalPicos(), 12);
    } catch (ArithmeticException pastALong) {
      return new BigDecimal(exactTotal(), 12);
    }
  }

  private BigInteger exactTotal() {
    BigInteger sum = BigInteger.ZERO;
    for (int i = 0; i < picos.length; i++) {
      sum = sum.add(exactPicos(i));
    }
    return sum;
  }
}
