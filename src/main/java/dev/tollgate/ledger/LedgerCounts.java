package dev.tollgate.ledger;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What became of the calls handed to the ledger writer. Every accepted call ends exactly one way:
 * written, rejected (logged with its id) or abandoned (the store still refused writes at shutdown);
 * {@code done} counts them in queue order. Dropped calls were never accepted.
 */
final class LedgerCounts {
  final AtomicLong accepted = new AtomicLong();
  final AtomicLong done = new AtomicLong();
  final AtomicLong written = new AtomicLong();
  final AtomicLong rejected = new AtomicLong();
  final AtomicLong abandoned = new AtomicLong();
  final AtomicLong dropped = new AtomicLong();
  final AtomicLong writeErrors = new AtomicLong();
}
