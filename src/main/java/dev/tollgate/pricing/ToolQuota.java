package dev.tollgate.pricing;

import java.time.LocalDate;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Counts built-in tool calls per model, tool and UTC day, for fees with a free daily quota
 * (Gemini's 1,500 grounded requests a day). In memory: a restart starts the day's count afresh,
 * which can only under-count the free part, never bill a call twice.
 */
public final class ToolQuota {
  private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
  private volatile LocalDate day = LocalDate.MIN;

  /** Records {@code calls} and returns how many calls were already counted that day before them. */
  public long record(String model, String tool, LocalDate on, long calls) {
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
