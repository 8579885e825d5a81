package dev.tollgate.call;

import java.math.BigDecimal;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;

/**
 * What a call cost, in USD, by {@link CostComponent}. The components partition the bill, so they
 * add up to {@link #total()} exactly.
 */
public final class Cost {
  private static final CostComponent[] COMPONENTS = CostComponent.values();

  public static final Cost ZERO = of(Map.of());

  private final BigDecimal[] parts;
  private final BigDecimal total;
  // The parts and total in pico-dollars, made at the first ask and kept: the ledger's rows, its
  // daily totals and every rollup, the metrics and the budgets all add a call in pico-dollars, and
  // converting each time cost ~60 BigDecimal conversions per call (measured: 7% of CPU at
  // saturation). Volatile, so a thread sees the array only once it is whole.
  private volatile long[] picos;

  private Cost(BigDecimal[] parts) {
    this.parts = parts;
    BigDecimal sum = BigDecimal.ZERO;
    for (BigDecimal p : parts) {
      sum = Money.plus(sum, p);
    }
    this.total = sum;
  }

  /** A cost from its components; a component not named is zero. */
  public static Cost of(Map<CostComponent, BigDecimal> components) {
    BigDecimal[] parts = new BigDecimal[COMPONENTS.length];
    Arrays.fill(parts, BigDecimal.ZERO);
    // By component, not by entry: an enum map's entry iterator makes an object per entry.
    for (CostComponent c : COMPONENTS) {
      BigDecimal usd = components.get(c);
      if (usd != null) {
        parts[c.ordinal()] = usd;
      } else if (components.containsKey(c)) {
        throw new NullPointerException(c.label());
      }
    }
    return new Cost(parts);
  }

  /** A builder-style copy of the components, for code that fills them one by one. */
  public static EnumMap<CostComponent, BigDecimal> components() {
    return new EnumMap<>(CostComponent.class);
  }

  public BigDecimal get(CostComponent component) {
    return parts[component.ordinal()];
  }

  public BigDecimal total() {
    return total;
  }

  /** {@link #get} in pico-dollars ({@link Money#toPico}). */
  public long pico(CostComponent component) {
    return picos()[component.ordinal()];
  }

  /** {@link #total} in pico-dollars. */
  public long picoTotal() {
    return picos()[COMPONENTS.length];
  }

  private long[] picos() {
    long[] p = picos;
    if (p == null) {
      p = new long[COMPONENTS.length + 1];
      for (int i = 0; i < COMPONENTS.length; i++) {
        p[i] = Money.toPico(parts[i]);
      }
      p[COMPONENTS.length] = Money.toPico(total);
      picos = p;
    }
    return p;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Cost c && Arrays.equals(parts, c.parts);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(parts);
  }

  @Override
  public String toString() {
    StringBuilder s = new StringBuilder("Cost[");
    for (CostComponent c : COMPONENTS) {
      s.append(c.label())
          .append('=')
          .append(Money.format(get(c)))
          .append(c.ordinal() + 1 < COMPONENTS.length ? ", " : "]");
    }
    return s.toString();
  }
}
