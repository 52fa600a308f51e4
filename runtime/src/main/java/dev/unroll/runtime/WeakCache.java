package dev.unroll.runtime;

import java.lang.ref.WeakReference;
import java.util.function.Function;

/**
 * What was made for the last few keys, found by identity, with the keys held weakly: a cached value
 * must not keep a dropped model's ND4J buffers alive (ND4J frees an allocation when its buffer object
 * is collected), and a collected key can never match a live one again. Round-robin replacement; a hit
 * allocates nothing. Not thread-safe: one per thread or per owner.
 */
final class WeakCache<K, V> {
  private final WeakReference<?>[] keys;
  private final Object[] values;
  private int next;

  WeakCache(int size) {
    keys = new WeakReference<?>[size];
    values = new Object[size];
  }

  /** The value cached for {@code key}, or {@code make(key)}, cached in place of the oldest entry. */
  @SuppressWarnings("unchecked")
  V get(K key, Function<? super K, ? extends V> make) {
    for (int k = 0; k < keys.length; k++) {
      if (keys[k] != null && keys[k].get() == key) {
        return (V) values[k];
      }
    }
    V value = make.apply(key);
    keys[next] = new WeakReference<>(key);
    values[next] = value;
    next = (next + 1) % keys.length;
    return value;
  }
}
