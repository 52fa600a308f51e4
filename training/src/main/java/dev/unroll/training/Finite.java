package dev.unroll.training;

import dev.unroll.runtime.Gradients;
import dev.unroll.runtime.internal.RowBuffer;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.conditions.Conditions;

/**
 * Checks for NaN and infinities. Float and double vectors and matrices (every parameter and gradient
 * of a generated model) are read a row at a time into a Java array and checked there: libnd4j's
 * {@code MatchCondition} took 4–10 ms for the main job's 11 gradients (0.9 M elements), the Java
 * pass well under one. Other arrays take one native reduction.
 */
final class Finite {

  private Finite() {}

  /** Whether every element is finite. */
  static boolean all(INDArray a) {
    return all(a, new RowBuffer());
  }

  private static boolean all(INDArray a, RowBuffer buffer) {
    if (!rowWise(a)) {
      return !BooleanIndexing.or(a, Conditions.notFinite());
    }
    buffer.bind(a);
    int rows = a.rank() == 2 ? (int) a.size(0) : 1;
    int cols = (int) (a.rank() == 2 ? a.size(1) : a.length());
    boolean floats = a.dataType() == DataType.FLOAT;
    for (int r = 0; r < rows; r++) {
      if (floats) {
        float[] row = buffer.readFloats(r);
        for (int k = 0; k < cols; k++) {
          if (!(Math.abs(row[k]) <= Float.MAX_VALUE)) {
            return false;
          }
        }
      } else {
        double[] row = buffer.read(r);
        for (int k = 0; k < cols; k++) {
          if (!(Math.abs(row[k]) <= Double.MAX_VALUE)) {
            return false;
          }
        }
      }
    }
    return true;
  }

  /** A float or double vector, or a matrix with adjacent elements along its rows. */
  private static boolean rowWise(INDArray a) {
    DataType t = a.dataType();
    if ((t != DataType.FLOAT && t != DataType.DOUBLE) || a.length() == 0) {
      return false;
    }
    if (a.rank() == 1) {
      return a.length() == 1 || a.stride(0) == 1;
    }
    return a.rank() == 2 && (a.size(1) == 1 || a.stride(1) == 1);
  }

  /** The name of the first array with a NaN or infinite element, or null. */
  static String firstNonFinite(Map<String, INDArray> arrays) {
    RowBuffer buffer = new RowBuffer();
    for (Map.Entry<String, INDArray> e : arrays.entrySet()) {
      if (!all(e.getValue(), buffer)) {
        return e.getKey();
      }
    }
    return null;
  }

  /** Throws if the loss or a gradient is not finite. */
  static void check(Gradients g, long iteration) {
    checkLoss(g, iteration);
    checkGradients(g, iteration);
  }

  /** Throws if the loss is not finite. */
  static void checkLoss(Gradients g, long iteration) {
    if (!Double.isFinite(g.loss())) {
      throw new NonFiniteException(
          iteration,
          "the loss is " + g.loss() + " at iteration " + iteration
              + "; the parameters were not updated");
    }
  }

  /** Throws, naming the first, if a gradient has a NaN or infinite element. */
  static void checkGradients(Gradients g, long iteration) {
    String bad = firstNonFinite(g.asMap());
    if (bad != null) {
      throw new NonFiniteException(
          iteration,
          "the gradient of " + bad + " has NaN or infinite elements at iteration " + iteration
              + " (loss " + g.loss() + "); the parameters were not updated");
    }
  }
}
