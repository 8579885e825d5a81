package dev.tollgate.metering;

import dev.tollgate.call.Usage;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** One thread and a bounded queue for token estimates, so event loops never tokenize. */
final class Estimations implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Estimations.class);
  private static final int QUEUE = 10_000;

  private final ThreadPoolExecutor executor =
      new ThreadPoolExecutor(
          1,
          1,
          0,
          TimeUnit.MILLISECONDS,
          new ArrayBlockingQueue<>(QUEUE),
          r -> {
            Thread t = new Thread(r, "tollgate-estimator");
            t.setDaemon(true);
            return t;
          });

  void submit(Supplier<Usage> estimate, Consumer<Usage> then, Runnable release) {
    Runnable task =
        () -> {
          Usage usage;
          try {
            usage = estimate.get();
          } catch (RuntimeException e) {
            LOG.warn("Token estimate failed; recording zero tokens: {}", e.toString());
            usage = Usage.ZERO;
          } finally {
            release.run();
          }
          then.accept(usage);
        };
    try {
      executor.execute(task);
    } catch (RejectedExecutionException e) {
      // Never drop the call: estimate on the caller's thread rather than lose it.
      LOG.warn("Estimation queue full ({}); estimating inline", QUEUE);
      task.run();
    }
  }

  @Override
  public void close() {
    executor.shutdown();
    try {
      executor.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
