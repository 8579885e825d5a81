package dev.tollgate.ledger;

import java.util.AbstractList;
import java.util.List;
import java.util.RandomAccess;

/**
 * A rollup row's key filled in place for one call after another, to look the row up in a batch's
 * sums without making a key per rollup per call (eight lists a call, a twentieth of what a call
 * allocated): a {@link List} by the {@code List} contract, so it finds the immutable copies {@link
 * #copy} stores. Never a map's key itself: it changes with the next call.
 */
final class RowKey extends AbstractList<String> implements RandomAccess {
  private final String[] values = new String[16];
  private int size;

  /** Makes this the key of {@code c}'s row in {@code rollup} ({@link Rollup#key}). */
  RowKey of(Rollup rollup, dev.tollgate.call.Call c) {
    size = rollup.fill(values, c);
    return this;
  }

  /** An immutable copy, to store. */
  List<String> copy() {
    return List.of(java.util.Arrays.copyOf(values, size));
  }

  @Override
  public String get(int index) {
    if (index >= size) {
      throw new IndexOutOfBoundsException(index);
    }
    return values[index];
  }

  @Override
  public int size() {
    return size;
  }

  // As List's contract says, without an iterator per lookup.
  @Override
  public int hashCode() {
    int h = 1;
    for (int i = 0; i < size; i++) {
      h = 31 * h + values[i].hashCode();
    }
    return h;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof List<?> other) || other.size() != size) {
      return false;
    }
    for (int i = 0; i < size; i++) {
      if (!values[i].equals(other.get(i))) {
        return false;
      }
    }
    return true;
  }
}
