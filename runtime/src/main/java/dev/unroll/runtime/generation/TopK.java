package dev.unroll.runtime.generation;

/**
 * The {@code k} best of a stream of (value, index) pairs, without allocating: a min-heap whose root
 * is the worst kept. Better means a larger value, then a lower index; NaN counts as negative infinity.
 */
final class TopK {
  final double[] values;
  final int[] indices;
  int size;

  TopK(int k) {
    values = new double[k];
    indices = new int[k];
  }

  void clear() {
    size = 0;
  }

  private static boolean better(double value, int index, double otherValue, int otherIndex) {
    return value > otherValue || (value == otherValue && index < otherIndex);
  }

  void offer(double value, int index) {
    if (Double.isNaN(value)) {
      value = Double.NEGATIVE_INFINITY;
    }
    if (size < values.length) {
      int at = size++;
      while (at > 0) { // sift up: the worse goes to the root
        int parent = (at - 1) >>> 1;
        if (!better(values[parent], indices[parent], value, index)) {
          break;
        }
        values[at] = values[parent];
        indices[at] = indices[parent];
        at = parent;
      }
      values[at] = value;
      indices[at] = index;
    } else if (better(value, index, values[0], indices[0])) {
      siftDown(value, index, size);
    }
  }

  /** Puts (value, index) at the root of the heap {@code [0, n)} and restores the heap. */
  private void siftDown(double value, int index, int n) {
    int at = 0;
    while (true) {
      int child = 2 * at + 1;
      if (child >= n) {
        break;
      }
      if (child + 1 < n && better(values[child], indices[child], values[child + 1], indices[child + 1])) {
        child++; // the worse child
      }
      if (!better(value, index, values[child], indices[child])) {
        break;
      }
      values[at] = values[child];
      indices[at] = indices[child];
      at = child;
    }
    values[at] = value;
    indices[at] = index;
  }

  /** Sorts the kept pairs best first (heap sort; the heap is gone afterwards). */
  void sortBestFirst() {
    for (int n = size - 1; n > 0; n--) {
      double value = values[n];
      int index = indices[n];
      values[n] = values[0];
      indices[n] = indices[0];
      siftDown(value, index, n);
    }
  }
}
