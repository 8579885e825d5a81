package dev.tollgate.budget;

import dev.tollgate.attribution.Attribution;
import dev.tollgate.config.RateLimitConfig;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Requests and tokens per minute per team or key, as token buckets that refill continuously (a
 * limit of 600 a minute lets one request through every 100 ms once the minute's allowance is used,
 * as OpenAI's limits do). Each replica keeps its own buckets: with N replicas behind a balancer,
 * set each replica's limits to 1/N of the total.
 */
public final class RateLimiter {
  /** Buckets kept at most; beyond it full (idle) ones are dropped. Team names come from headers. */
  private static final int MAX_BUCKETS = 100_000;

  /** A refusal: which limit, and what OpenAI-style headers say about it. */
  public record Refusal(
      String subject, String unit, long limit, long remaining, long resetNanos, long asked) {
    public String message() {
      return "Rate limit reached for "
          + subject
          + " on "
          + unit
          + " per minute: limit "
          + limit
          + ", remaining "
          + remaining
          + ", requested "
          + asked
          + ". Please try again in "
          + duration(resetNanos)
          + ".";
    }
  }

  /** A continuously refilling allowance of {@code perMinute} units. */
  private static final class Bucket {
    final long perMinute;
    double level;
    long lastNanos;

    Bucket(long perMinute, long now) {
      this.perMinute = perMinute;
      this.level = perMinute;
      this.lastNanos = now;
    }

    void refill(long now) {
      level = Math.min(perMinute, level + (now - lastNanos) * perMinute / 60e9);
      lastNanos = now;
    }

    /** Nanoseconds until {@code n} units are there. */
    long waitFor(long n) {
      return level >= n ? 0 : (long) Math.ceil((n - level) * 60e9 / perMinute);
    }
  }

  private final List<RateLimitConfig> limits;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

  public RateLimiter(List<RateLimitConfig> limits) {
    this.limits = List.copyOf(limits);
  }

  public boolean isEmpty() {
    return limits.isEmpty();
  }

  /** True when some limit applies to {@code who}. */
  public boolean covers(Attribution who) {
    for (RateLimitConfig l : limits) {
      if (subject(l, who) != null) {
        return true;
      }
    }
    return false;
  }

  /**
   * Takes one request and {@code tokens} from every bucket that applies, or none of them and
   * returns the first limit that is short.
   */
  public synchronized Refusal take(Attribution who, long tokens, long now) {
    Bucket[] requests = new Bucket[limits.size()];
    Bucket[] tokenBuckets = new Bucket[limits.size()];
    for (int i = 0; i < limits.size(); i++) {
      RateLimitConfig l = limits.get(i);
      String subject = subject(l, who);
      if (subject == null) {
        continue;
      }
      if (l.requestsPerMinute() > 0) {
        Bucket b = bucket(i + "r" + subject, l.requestsPerMinute(), now);
        if (b.waitFor(1) > 0) {
          return new Refusal(subject, "requests", l.requestsPerMinute(), 0, b.waitFor(1), 1);
        }
        requests[i] = b;
      }
      if (l.tokensPerMinute() > 0) {
        Bucket b = bucket(i + "t" + subject, l.tokensPerMinute(), now);
        long asked = Math.min(tokens, l.tokensPerMinute()); // one call may use a whole minute
        if (b.waitFor(asked) > 0) {
          return new Refusal(
              subject, "tokens", l.tokensPerMinute(), (long) b.level, b.waitFor(asked), tokens);
        }
        tokenBuckets[i] = b;
      }
    }
    for (int i = 0; i < limits.size(); i++) {
      if (requests[i] != null) {
        requests[i].level -= 1;
      }
      if (tokenBuckets[i] != null) {
        tokenBuckets[i].level -= Math.min(tokens, tokenBuckets[i].perMinute);
      }
    }
    return null;
  }

  private Bucket bucket(String key, long perMinute, long now) {
    if (buckets.size() > MAX_BUCKETS) {
      buckets.values().removeIf(b -> b.waitFor(b.perMinute) == 0); // full: as good as new
    }
    Bucket b = buckets.computeIfAbsent(key, k -> new Bucket(perMinute, now));
    b.refill(now);
    return b;
  }

  private static String subject(RateLimitConfig l, Attribution who) {
    String value = l.kind().equals("team") ? who.team() : who.key();
    if (value == null || !(l.value().equals("*") || l.value().equals(value))) {
      return null;
    }
    return l.kind() + " " + value;
  }

  /** OpenAI writes resets like {@code 1s}, {@code 6m0s}, {@code 120ms}. */
  static String duration(long nanos) {
    long ms = Math.max(1, (nanos + 999_999) / 1_000_000);
    if (ms < 1000) {
      return ms + "ms";
    }
    long s = (ms + 999) / 1000;
    return s < 60 ? s + "s" : (s / 60) + "m" + (s % 60) + "s";
  }
}
