package dev.tollgate.background;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

class CourtesyTest {
  /** Busy-works for at least the given time, like a ledger row being bound. */
  static void work(long nanos) {
    long end = System.nanoTime() + nanos;
    while (System.nanoTime() < end) {
      Thread.onSpinWait();
    }
  }

  @Test
  void neverPausesWithinASlice() {
    Courtesy c = new Courtesy(10_000_000_000L, () -> false); // 10 s slices
    for (int i = 0; i < 50; i++) {
      work(100_000);
      c.pause();
    }
    assertThat(c.pauses()).isZero();
  }

  @Test
  void pausesOnceEachSliceIsUsedUp() {
    Courtesy c = new Courtesy(1_000_000, () -> false); // 1 ms slices
    long start = System.nanoTime();
    c.restart();
    for (int i = 0; i < 35; i++) {
      work(100_000);
      c.pause();
    }
    long elapsedMillis = (System.nanoTime() - start) / 1_000_000;
    // 3.5 ms of work: at least 3 slices used up; never more pauses than elapsed milliseconds,
    // however long the machine kept this thread off the CPU.
    assertThat(c.pauses()).isGreaterThanOrEqualTo(3).isLessThanOrEqualTo(elapsedMillis);
  }

  @Test
  void aThreadThatIsBehindNeverPauses() {
    AtomicBoolean behind = new AtomicBoolean(true);
    Courtesy c = new Courtesy(1_000, behind::get);
    for (int i = 0; i < 20; i++) {
      work(5_000);
      c.pause();
    }
    assertThat(c.behind()).isTrue();
    assertThat(c.pauses()).isZero();
    behind.set(false); // caught up: courteous again
    work(5_000);
    c.pause();
    assertThat(c.pauses()).isEqualTo(1);
  }

  @Test
  void restartBeginsAFreshSlice() {
    Courtesy c = new Courtesy(1_000_000, () -> false);
    work(2_000_000); // e.g. the thread slept through its batch window
    c.restart();
    c.pause();
    assertThat(c.pauses()).isZero();
  }

  @Test
  void aSliceMustBePositive() {
    assertThatThrownBy(() -> new Courtesy(0, () -> false))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
