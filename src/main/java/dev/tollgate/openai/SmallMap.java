package dev.tollgate.openai;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * The members of one captured usage object ({@link TreeCapture}), in the order they came, in two
 * arrays searched in turn: a usage object has a handful of members, and a {@code LinkedHashMap}
 * made per object (a table, then an entry per member) was a twentieth of what a call allocated.
 * Field names come from the parser's symbol table, so a search mostly matches by reference.
 */
final class SmallMap extends AbstractMap<String, JsonNode> {
  private String[] keys = new String[8];
  private JsonNode[] values = new JsonNode[8];
  private int size;

  private int index(Object key) {
    for (int i = 0; i < size; i++) {
      if (keys[i] == key) {
        return i;
      }
    }
    // Not the same object: compare hashes first (a String keeps its own, and the names asked for
    // are literals), so a name that is not there, as most of UsageParser's asks are, costs no
    // character comparisons.
    if (key == null) {
      return -1; // no member is named null
    }
    int hash = key.hashCode();
    for (int i = 0; i < size; i++) {
      if (keys[i].hashCode() == hash && keys[i].equals(key)) {
        return i;
      }
    }
    return -1;
  }

  @Override
  public JsonNode get(Object key) {
    int i = index(key);
    return i < 0 ? null : values[i];
  }

  @Override
  public boolean containsKey(Object key) {
    return index(key) >= 0;
  }

  @Override
  public JsonNode put(String key, JsonNode value) {
    if (key == null) {
      throw new NullPointerException("a JSON member's name");
    }
    int i = index(key);
    if (i >= 0) {
      JsonNode old = values[i];
      values[i] = value;
      return old;
    }
    if (size == keys.length) {
      keys = Arrays.copyOf(keys, size * 2);
      values = Arrays.copyOf(values, size * 2);
    }
    keys[size] = key;
    values[size++] = value;
    return null;
  }

  @Override
  public JsonNode remove(Object key) {
    int i = index(key);
    if (i < 0) {
      return null;
    }
    JsonNode old = values[i];
    removeAt(i);
    return old;
  }

  private void removeAt(int i) {
    System.arraycopy(keys, i + 1, keys, i, size - i - 1);
    System.arraycopy(values, i + 1, values, i, size - i - 1);
    size--;
    keys[size] = null;
    values[size] = null;
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public void clear() {
    Arrays.fill(keys, 0, size, null);
    Arrays.fill(values, 0, size, null);
    size = 0;
  }

  @Override
  public Set<Entry<String, JsonNode>> entrySet() {
    return new AbstractSet<>() {
      @Override
      public int size() {
        return size;
      }

      @Override
      public Iterator<Entry<String, JsonNode>> iterator() {
        return new Iterator<>() {
          private int next;
          private int last = -1;

          @Override
          public boolean hasNext() {
            return next < size;
          }

          @Override
          public Entry<String, JsonNode> next() {
            if (next >= size) {
              throw new NoSuchElementException();
            }
            last = next++;
            int at = last;
            return new SimpleEntry<>(keys[at], values[at]) {
              @Override
              public JsonNode setValue(JsonNode value) {
                values[at] = value;
                return super.setValue(value);
              }
            };
          }

          @Override
          public void remove() {
            if (last < 0) {
              throw new IllegalStateException();
            }
            removeAt(last);
            next = last;
            last = -1;
          }
        };
      }
    };
  }
}
