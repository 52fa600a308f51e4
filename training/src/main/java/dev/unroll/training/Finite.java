package dev.unroll.training;

import dev.unroll.runtime.Gradients;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.conditions.Conditions;

/** Checks for NaN and infinities, one native reduction per array. */
final class Finite {

  private Finite() {}

  /** Whether every element is finite. */
  static boolean all(INDArray a) {
    return !BooleanIndexing.or(a, Conditions.notFinite());
  }

  /** The name of the first array with a NaN or infinite element, or null. */
  static String firstNonFinite(Map<String, INDArray> arrays) {
    for (Map.Entry<String, INDArray> e : arrays.entrySet()) {
      if (!all(e.getValue())) {
        return e.getKey();
      }
    }
    return null;
  }

  /** Throws if the loss or a gradient is not finite. */
  static void check(Gradients g, long iteration) {
    if (!Double.isFinite(g.loss())) {
      throw new NonFiniteException(
          iteration,
          "the loss is " + g.loss() + " at iteration " + iteration
              + "; the parameters were not updated");
    }
    String bad = firstNonFinite(g.asMap());
    if (bad != null) {
      throw new NonFiniteException(
          iteration,
          "the gradient of " + bad + " has NaN or infinite elements at iteration " + iteration
              + " (loss " + g.loss() + "); the parameters were not updated");
    }
  }
}
