package dev.unroll.runtime.internal;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Views that generated models make once per batch shape and reuse at every step, so that a step
 * creates no arrays. All views share memory with the array they slice.
 */
public final class Views {
  private Views() {}

  /**
   * Splits {@code seq [count·rows, w]} into {@code count} consecutive row blocks {@code [rows, w]}:
   * block {@code t} of a time-major buffer is step {@code t} of every batch row.
   */
  public static INDArray[] rowBlocks(INDArray seq, long rows, int count) {
    INDArray[] out = new INDArray[count];
    for (int t = 0; t < count; t++) {
      out[t] = rows(seq, t * rows, (t + 1) * rows);
    }
    return out;
  }

  /** Columns {@code [from, to)} of every block. */
  public static INDArray[] columns(INDArray[] blocks, long from, long to) {
    INDArray[] out = new INDArray[blocks.length];
    for (int t = 0; t < blocks.length; t++) {
      out[t] = columns(blocks[t], from, to);
    }
    return out;
  }

  /** Columns {@code [from, to)} of a matrix. */
  public static INDArray columns(INDArray m, long from, long to) {
    return slice(m, 0, m.size(0), from, to);
  }

  /** Rows {@code [from, to)} of a matrix. */
  public static INDArray rows(INDArray m, long from, long to) {
    return slice(m, from, to, 0, m.size(1));
  }

  /**
   * Rows {@code [r0, r1)} and columns {@code [c0, c1)} of a row-major matrix that may itself be a view.
   * Built from the buffer, offset and strides directly: in ND4J 1.0.0-M2.1, slicing rows of a column
   * view with {@code get} past the first few blocks returns an array without data.
   */
  static INDArray slice(INDArray m, long r0, long r1, long c0, long c1) {
    if (m.rank() != 2 || m.ordering() != 'c') {
      throw new IllegalArgumentException("expected a row-major matrix but got shape "
          + java.util.Arrays.toString(m.shape()) + " in order " + m.ordering());
    }
    if (r0 < 0 || r1 > m.size(0) || r0 > r1 || c0 < 0 || c1 > m.size(1) || c0 > c1) {
      throw new IndexOutOfBoundsException("rows [" + r0 + ", " + r1 + ") and columns [" + c0 + ", " + c1
          + ") are not inside " + java.util.Arrays.toString(m.shape()));
    }
    long[] stride = m.stride();
    long offset = m.offset() + r0 * stride[0] + c0 * stride[1];
    return Nd4j.create(m.data(), new long[] {r1 - r0, c1 - c0}, stride.clone(), offset, 'c', m.dataType());
  }
}
