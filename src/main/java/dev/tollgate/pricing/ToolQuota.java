package dev.tollgate.pricing;

import java.time.LocalDate;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts built-in tool calls per model, tool and UTC day, for fees with a free daily quota
 * (Gemini's 1,500 grounded requests a day). By default in memory; metering counts in the ledger
 * database instead ({@link Store}), so a restart or another replica does not start the day's free
 * quota again. A store that fails falls back to memory: pricing never waits on it or fails.
 */
public class ToolQuota {
  /** Where the day's counts live beyond this process. */
  @FunctionalInterface
  public interface Store {
    /** Adds {@code calls} and returns the count after them; throws when it cannot. */
    long add(LocalDate day, String model, String tool, long calls) throws Exception;
  }

  private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
  private final Store store; // null: memory only
  private volatile LocalDate day = LocalDate.MIN;

  public ToolQuota() {
    this(null);
  }

  public ToolQuota(Store store) {
    this.store = store;
  }

  /** Records {@code calls} and returns how many calls were already counted that day before them. */
  public long record(String model, String tool, LocalDate on, long calls) {
    if (store != null) {
      try {
        return store.add(on, model, tool, calls) - calls;
      } catch (Exception e) {
        // The database is away: count in memory, which can only under-count the free part.
      }
    }
    if (!on.equals(day)) {
      synchronized (this) {
        if (on.isAfter(day)) {
          counts.clear(); // only today's counts matter; keeps the map from growing
          day = on;
        }
      }
    }
    if (!on.equals(day)) {
      return 0; // a late call from a previous day: its quota is gone from memory, treat as free
    }
    return counts.computeIfAbsent(model + '\u0000' + tool, k -> new AtomicLong()).getAndAdd(calls);
  }
}
