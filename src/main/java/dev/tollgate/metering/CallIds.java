package dev.tollgate.metering;

import java.util.concurrent.ThreadLocalRandom;

/**
 * Call ids: 48 bits of milliseconds then 80 random bits, in Crockford base32 (26 chars, ULID
 * layout), so ids sort by time and never collide across replicas in practice.
 */
public final class CallIds {
  private static final char[] ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ".toCharArray();

  private CallIds() {}

  public static String next(long epochMillis) {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    long hi = (epochMillis << 16) | (r.nextInt() & 0xFFFF); // 48 time bits + 16 random
    long lo = r.nextLong(); // 64 random
    char[] out = new char[26];
    // 128 bits → 26 base32 digits (130 bits; the top 2 are zero).
    for (int i = 25; i >= 0; i--) {
      int digit = (int) (lo & 31);
      lo = (lo >>> 5) | ((hi & 31) << 59);
      hi >>>= 5;
      out[i] = ALPHABET[digit];
    }
    return new String(out);
  }
}
