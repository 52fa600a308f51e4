package dev.unroll.training.optim;

import dev.unroll.runtime.internal.RowBuffer;
import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A parameter, its gradient and its optimizer state (arrays of one shape) walked a row at a time as
 * {@code double[]}, so that an optimizer's update is one pass over plain Java arrays: no temporaries,
 * one read and one write per element, instead of a dozen ND4J calls with four allocations per
 * parameter (Adam at shape a's parameters: 2.2–4.6 ms per step that way). Float parameters are
 * computed in double and stored back as float. Not thread-safe; an optimizer keeps one.
 */
final class Rows {
  private final RowBuffer[] buffers;
  private int rows;
  private int cols;

  Rows(int arrays) {
    buffers = new RowBuffer[arrays];
    for (int k = 0; k < arrays; k++) {
      buffers[k] = new RowBuffer();
    }
  }

  /**
   * Binds {@code arrays} (all of the first's shape; a null entry is skipped) and returns how many
   * rows they have: a matrix's rows, one for a vector, one for a contiguous array of higher rank.
   */
  int bind(INDArray... arrays) {
    rows = -1;
    for (int k = 0; k < arrays.length; k++) {
      if (arrays[k] != null) {
        INDArray m = matrix(arrays[k]);
        buffers[k].bind(m);
        rows = m.rank() == 2 ? (int) m.size(0) : 1;
        cols = m.rank() == 2 ? (int) m.size(1) : (int) m.length();
      }
    }
    return rows;
  }

  /** The length of a row of the bound arrays (a read row's array may be longer: use this bound). */
  int cols() {
    return cols;
  }

  /** Row {@code r} of array {@code k} (valid until the next read of {@code k}). */
  double[] read(int k, int r) {
    return buffers[k].read(r);
  }

  /** Writes array {@code k}'s row buffer back as its row {@code r}. */
  void write(int k, int r) {
    buffers[k].write(r);
  }

  /**
   * Whether {@code a} can be walked (and written) in place: a vector or matrix whose elements along
   * a row are adjacent, or a contiguous row-major array of any rank.
   */
  static boolean walkable(INDArray a) {
    if (a.rank() == 1) {
      return a.length() <= 1 || a.stride(0) == 1;
    }
    if (a.rank() == 2) {
      return a.size(1) <= 1 || a.stride(1) == 1;
    }
    return a.ordering() == 'c' && a.elementWiseStride() == 1;
  }

  /** {@code a} itself when it is a vector or a matrix; a contiguous array of higher rank as one row. */
  private static INDArray matrix(INDArray a) {
    if (a.rank() <= 2) {
      return a;
    }
    if (walkable(a)) {
      return a.reshape('c', 1, a.length());
    }
    throw new IllegalArgumentException("optimizers update vectors, matrices and contiguous arrays; got shape "
        + Arrays.toString(a.shape()) + " with strides " + Arrays.toString(a.stride()));
  }
}
