package dev.tollgate.proxy;

import dev.tollgate.config.BufferLimits;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The request-body bytes Tollgate holds, in all and by holder ({@link BufferLimits}), shared by all
 * event loops. Bytes are taken as they arrive and given back when the request is sent on or
 * refused, so a client that declares a large body and sends a byte holds a byte.
 */
public final class BodyAllowance {
  private final BufferLimits limits;
  private final AtomicLong total = new AtomicLong();
  private final AtomicLong unauthenticated = new AtomicLong();
  // Entries are removed when they reach zero, so random keys cannot grow the map.
  private final ConcurrentHashMap<String, Long> perKey = new ConcurrentHashMap<>();

  public BodyAllowance(BufferLimits limits) {
    this.limits = limits;
  }

  /** The bytes one connection holds; touched only on its event loop. */
  static final class Connection {
    private long held;
  }

  /** A new connection's account. */
  Connection connection() {
    return new Connection();
  }

  /**
   * One request's hold.
   *
   * @param key the key it presented (its report label), or null for none
   * @param known the key is one Tollgate knows; otherwise the caller is unauthenticated
   */
  Hold open(Connection connection, String key, boolean known) {
    return new Hold(connection, key, known);
  }

  /** Request-body bytes held right now, across all connections. */
  public long held() {
    return total.get();
  }

  /** ... of which by callers without a key Tollgate knows. */
  public long heldUnauthenticated() {
    return unauthenticated.get();
  }

  /** What one request holds; used on its connection's event loop only. */
  final class Hold {
    private final Connection connection;
    private final String key;
    private final boolean known;
    private long held;

    private Hold(Connection connection, String key, boolean known) {
      this.connection = connection;
      this.key = key;
      this.known = known;
    }

    /**
     * Takes {@code n} more bytes; false, with nothing taken, when any level is full.
     *
     * @return true when the bytes were taken
     */
    boolean take(long n) {
      if (connection.held + n > limits.perConnection()) {
        return false;
      }
      if (total.addAndGet(n) > limits.total()) {
        total.addAndGet(-n);
        return false;
      }
      if (!known && unauthenticated.addAndGet(n) > limits.unauthenticated()) {
        unauthenticated.addAndGet(-n);
        total.addAndGet(-n);
        return false;
      }
      if (key != null && !takeForKey(n)) {
        if (!known) {
          unauthenticated.addAndGet(-n);
        }
        total.addAndGet(-n);
        return false;
      }
      connection.held += n;
      held += n;
      return true;
    }

    private boolean takeForKey(long n) {
      boolean[] fits = {false};
      perKey.compute(
          key,
          (k, now) -> {
            long before = now == null ? 0 : now;
            fits[0] = before + n <= limits.perKey();
            return fits[0] ? Long.valueOf(before + n) : now;
          });
      return fits[0];
    }

    /** Gives back everything held; safe to call more than once. */
    void release() {
      if (held == 0) {
        return;
      }
      long n = held;
      held = 0;
      connection.held -= n;
      total.addAndGet(-n);
      if (!known) {
        unauthenticated.addAndGet(-n);
      }
      if (key != null) {
        perKey.computeIfPresent(key, (k, now) -> now - n <= 0 ? null : Long.valueOf(now - n));
      }
    }
  }
}
