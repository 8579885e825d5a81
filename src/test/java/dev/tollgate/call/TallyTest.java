package dev.tollgate.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

/**
 * A tally's totals are exact whether its components fit in longs, their sum does not, or a
 * component itself spilled past a long; and equal what the BigInteger sum gives, scale included.
 */
class TallyTest {
  private static final long MAX = Long.MAX_VALUE;

  @Test
  void totalsAreExactInLongsAndPastThem() {
    Tally small = new Tally().addPicos(CostComponent.INPUT, 1_234_567_891_234L);
    small.addPicos(CostComponent.OUTPUT, 5);
    assertThat(small.total()).isEqualTo(new BigDecimal("1.234567891239"));
    assertThat(small.total().scale()).isEqualTo(12);
    assertThat(small.totalPicos()).isEqualTo(1_234_567_891_239L);
    assertThat(small.cost(CostComponent.INPUT)).isEqualTo(new BigDecimal("1.234567891234"));

    // Two components that fit, whose sum does not.
    Tally sum = new Tally().addPicos(CostComponent.INPUT, MAX - 1);
    sum.addPicos(CostComponent.OUTPUT, 2);
    assertThat(sum.total())
        .isEqualTo(new BigDecimal(BigInteger.valueOf(MAX).add(BigInteger.ONE), 12));
    assertThatThrownBy(sum::totalPicos).isInstanceOf(ArithmeticException.class);

    // A negative component (a repricing's delta) after them brings the sum back into a long: a
    // partial sum passes a long, the total does not.
    Tally back = new Tally().addPicos(CostComponent.INPUT, MAX);
    back.addPicos(CostComponent.OUTPUT, 10);
    back.addPicos(CostComponent.REASONING, -20);
    assertThat(back.total()).isEqualTo(BigDecimal.valueOf(MAX - 10, 12));
    assertThat(back.totalPicos()).isEqualTo(MAX - 10);

    // A component that itself spilled.
    Tally spilled = new Tally().addPicos(CostComponent.INPUT, MAX);
    spilled.addPicos(CostComponent.INPUT, MAX);
    BigInteger twice = BigInteger.valueOf(MAX).multiply(BigInteger.TWO);
    assertThat(spilled.cost(CostComponent.INPUT)).isEqualTo(new BigDecimal(twice, 12));
    assertThat(spilled.total()).isEqualTo(new BigDecimal(twice, 12));
    assertThatThrownBy(spilled::totalPicos).isInstanceOf(ArithmeticException.class);
  }
}
