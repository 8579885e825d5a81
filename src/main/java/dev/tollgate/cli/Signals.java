package dev.tollgate.cli;

import java.util.concurrent.CountDownLatch;
import sun.misc.Signal;

/**
 * SIGTERM and SIGINT, handled by the long-running commands themselves (not a shutdown hook), so a
 * clean stop can finish its work and still exit with status 0.
 */
final class Signals {
  private Signals() {}

  /** A latch released on the first SIGTERM or SIGINT. */
  static CountDownLatch termination() {
    CountDownLatch latch = new CountDownLatch(1);
    onTermination(latch::countDown);
    return latch;
  }

  /** Runs {@code action} on its own thread at SIGTERM or SIGINT. */
  static void onTermination(Runnable action) {
    for (String name : new String[] {"TERM", "INT"}) {
      Signal.handle(new Signal(name), s -> new Thread(action, "tollgate-signal").start());
    }
  }
}
