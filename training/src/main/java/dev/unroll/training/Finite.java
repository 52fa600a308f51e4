package dev.unroll.training;

import dev.unroll.runtime.Gradients;
import dev.unroll.runtime.internal.NonFinite;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Checks the loss, parameters and gradients for NaN and infinities, each array in one Java pass over
 * its rows ({@link NonFinite}).
 */
final class Finite {

  private Finite() {}

  /** Whether every element is finite. */
  static boolean all(INDArray a) {
    return NonFinite.first(a) < 0;
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
