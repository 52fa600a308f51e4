package dev.unroll.training;

import dev.unroll.runtime.Gradients;
import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Gradient clipping in place, as PyTorch's {@code torch.nn.utils.clip_grad_norm_} and
 * {@code clip_grad_value_}. The arrays of a {@link dev.unroll.runtime.Gradients} belong to the caller,
 * so its {@code asMap()} can be clipped directly.
 */
public final class GradientClipping {

  /** Added to the norm before dividing, as in PyTorch. */
  public static final double EPS = 1e-6;

  private GradientClipping() {}

  /**
   * The L2 norm of all gradients taken together: the square root of the sum of every element squared,
   * accumulated in double precision across arrays.
   */
  public static double globalNorm(Map<String, INDArray> grads) {
    Objects.requireNonNull(grads, "grads");
    double sum = 0;
    for (INDArray g : grads.values()) {
      double n = g.norm2Number().doubleValue();
      sum += n * n;
    }
    return Math.sqrt(sum);
  }

  /**
   * Scales every gradient by {@code maxNorm / (norm + 1e-6)} when that factor is below 1 (the total
   * norm exceeds {@code maxNorm}), leaving them unchanged otherwise.
   *
   * @param grads the gradients, changed in place
   * @param maxNorm the largest total L2 norm allowed, greater than 0
   * @return the total norm before clipping (NaN or infinite if a gradient is; nothing is scaled then)
   */
  public static double clipGlobalNorm(Map<String, INDArray> grads, double maxNorm) {
    if (!(maxNorm > 0)) {
      throw new IllegalArgumentException("maxNorm must be greater than 0, but is " + maxNorm);
    }
    double norm = globalNorm(grads);
    scale(grads, maxNorm, norm);
    return norm;
  }

  /** Scales {@code grads} whose global norm is {@code norm} to at most {@code maxNorm}. */
  private static void scale(Map<String, INDArray> grads, double maxNorm, double norm) {
    if (!Double.isFinite(norm)) {
      return;
    }
    double coefficient = maxNorm / (norm + EPS);
    if (coefficient < 1) {
      for (INDArray g : grads.values()) {
        g.muli(coefficient);
      }
    }
  }

  /**
   * What {@link Trainer} and {@link Tbptt} do to a step's gradients before the optimizer: throw if
   * the loss or a gradient is NaN or infinite, then clamp them ({@code limit > 0}) and clip their
   * global norm ({@code maxNorm > 0}).
   *
   * <p>With norm clipping alone the global norm comes first and stands in for the check of every
   * element: a finite norm means every element is finite (one NaN or infinity makes the sum of
   * squares NaN or infinite). Only a norm that is not finite sends it through the per-array check,
   * which names the array (or passes, when finite squares overflowed; nothing is scaled then, as
   * {@link #clipGlobalNorm} does). That saves one native reduction per gradient every step (the
   * main job's 11 gradients: 4–10 ms of a 300–500 ms step, {@code TrainingStepProfile}).
   *
   * @throws NonFiniteException if the loss or a gradient is not finite (nothing was changed)
   */
  static void checkAndClip(Gradients g, long iteration, double limit, double maxNorm) {
    Finite.checkLoss(g, iteration);
    Map<String, INDArray> grads = g.asMap();
    if (maxNorm > 0 && limit == 0) {
      double norm = globalNorm(grads);
      if (!Double.isFinite(norm)) {
        Finite.checkGradients(g, iteration);
      }
      scale(grads, maxNorm, norm);
      return;
    }
    Finite.checkGradients(g, iteration);
    if (limit > 0) {
      clipValue(grads, limit);
    }
    if (maxNorm > 0) {
      clipGlobalNorm(grads, maxNorm);
    }
  }

  /**
   * Clamps every gradient element into {@code [-limit, limit]}.
   *
   * @param grads the gradients, changed in place
   * @param limit the largest absolute value allowed, at least 0
   */
  public static void clipValue(Map<String, INDArray> grads, double limit) {
    Objects.requireNonNull(grads, "grads");
    if (!(limit >= 0)) {
      throw new IllegalArgumentException("limit must be at least 0, but is " + limit);
    }
    for (INDArray g : grads.values()) {
      Transforms.min(g, limit, false);
      Transforms.max(g, -limit, false);
    }
  }
}
