package dev.tollgate.ledger;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** The last N calls, newest first, for {@code GET /admin/calls}. Bounded; safe across event loops. */
public final class RecentCalls {
  private final int capacity;
  private final ArrayDeque<CallRecord> calls;

  public RecentCalls(int capacity) {
    this.capacity = capacity;
    this.calls = new ArrayDeque<>(capacity);
  }

  public void add(CallRecord call) {
    synchronized (calls) {
      if (calls.size() == capacity) {
        calls.removeLast();
      }
      calls.addFirst(call);
    }
  }

  /** Up to {@code limit} calls, newest first. */
  public List<CallRecord> latest(int limit) {
    synchronized (calls) {
      List<CallRecord> out = new ArrayList<>(Math.min(limit, calls.size()));
      for (Iterator<CallRecord> it = calls.iterator(); it.hasNext() && out.size() < limit; ) {
        out.add(it.next());
      }
      return out;
    }
  }
}
