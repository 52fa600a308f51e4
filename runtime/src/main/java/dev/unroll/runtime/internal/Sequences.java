package dev.unroll.runtime.internal;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Conversions between the batch-first arrays of the public API and the time-major buffers of
 * generated models, where step {@code t} of every batch row is one contiguous row block.
 */
public final class Sequences {
  private Sequences() {}

  /** Token ids {@code [B, T]} in time-major order: {@code ids[t·B + b] = x[b, t]}. */
  public static int[] timeMajorIds(INDArray x) {
    int batch = (int) x.size(0);
    int steps = (int) x.size(1);
    long[] flat = x.castTo(DataType.INT64).dup('c').data().asLong();
    int[] ids = new int[batch * steps];
    for (int b = 0; b < batch; b++) {
      for (int t = 0; t < steps; t++) {
        ids[t * batch + b] = (int) flat[b * steps + t];
      }
    }
    return ids;
  }

  /** Row indexes that repeat each of {@code batch} rows {@code copies} times in a row: 0, 0, 1, 1, ... */
  public static int[] repeatedRows(int batch, int copies) {
    int[] out = new int[batch * copies];
    for (int r = 0; r < out.length; r++) {
      out[r] = r / copies;
    }
    return out;
  }

  /**
   * {@code block[r] = block[from[r]]} for every row, through {@code scratch} (same shape): reorders
   * the rows of a state in place.
   */
  public static void selectRows(INDArray block, INDArray scratch, int[] from) {
    if (from == null || from.length != block.size(0)) {
      throw new IllegalArgumentException("from must hold one row index per row, " + block.size(0) + ", but "
          + (from == null ? "is null" : "holds " + from.length));
    }
    for (int r = 0; r < from.length; r++) {
      if (from[r] < 0 || from[r] >= from.length) {
        throw new IllegalArgumentException("from[" + r + "] = " + from[r] + " is not a row: rows are 0 to "
            + (from.length - 1));
      }
    }
    Nd4j.pullRows(block, scratch, 1, from);
    block.assign(scratch);
  }

  /**
   * Checks a session's {@code select(from)} against its {@code rows}: between 1 and {@code rows}
   * entries, each a row index in {@code [0, rows)}.
   */
  public static void checkSelection(int[] from, int rows) {
    if (from == null || from.length < 1 || from.length > rows) {
      throw new IllegalArgumentException("from must hold between 1 and " + rows + " row indices (one per row kept)"
          + " but " + (from == null ? "is null" : "holds " + from.length));
    }
    for (int r = 0; r < from.length; r++) {
      if (from[r] < 0 || from[r] >= rows) {
        throw new IllegalArgumentException("from[" + r + "] = " + from[r] + " is not a row: rows are 0 to "
            + (rows - 1));
      }
    }
  }

  /** Fills a time-major mask column {@code [T·B, 1]}: 1 where {@code t < lengths[b]}, else 0. */
  public static void fillMask(INDArray maskSeq, int[] lengths, int batch, int steps) {
    double[] values = new double[batch * steps];
    for (int t = 0; t < steps; t++) {
      for (int b = 0; b < batch; b++) {
        values[t * batch + b] = t < lengths[b] ? 1 : 0;
      }
    }
    maskSeq.assign(Nd4j.createFromArray(values).reshape(maskSeq.shape()).castTo(maskSeq.dataType()));
  }

  /**
   * {@code target[rows[k]] += updates[k]} for every k, accumulating repeated rows: the gradient of an
   * embedding lookup. Done in one pass over Java arrays, with one read and one write of each array.
   */
  public static void scatterAddRows(INDArray target, int[] rows, INDArray updates) {
    int width = (int) target.size(1);
    double[] acc = Block.toDoubles(target);
    double[] upd = Block.toDoubles(updates);
    for (int k = 0; k < rows.length; k++) {
      int base = rows[k] * width;
      int from = k * width;
      for (int j = 0; j < width; j++) {
        acc[base + j] += upd[from + j];
      }
    }
    Block.assign(target, acc);
  }

  /** Batch-first logits {@code [B, T, out]} (a new array) from time-major {@code [T·B, out]}. */
  public static INDArray batchFirst(INDArray seq, int batch, int steps) {
    return seq.reshape('c', steps, batch, seq.size(1)).permute(1, 0, 2).dup('c');
  }

  /** Time-major {@code byStep [T, B, w]} (a view of a {@code [T·B, w]} buffer) from batch-first {@code x [B, T, w]}. */
  public static void assignTimeMajor(INDArray byStep, INDArray x) {
    byStep.assign(x.permute(1, 0, 2));
  }
}
