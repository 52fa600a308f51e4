package dev.unroll.runtime.internal;

import java.util.SplittableRandom;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Inverted dropout masks, as PyTorch's {@code dropout=}: a unit is kept with probability 1 − p and scaled by 1/(1 − p). */
public final class Dropout {
  private Dropout() {}

  /** Fills {@code mask} with 0 (probability p) or 1/(1 − p), drawn from {@code random}. */
  public static void fill(INDArray mask, double p, SplittableRandom random) {
    double keep = 1.0 / (1.0 - p);
    double[] values = new double[(int) mask.length()];
    for (int k = 0; k < values.length; k++) {
      values[k] = random.nextDouble() < p ? 0 : keep;
    }
    mask.assign(Nd4j.createFromArray(values).reshape(mask.shape()).castTo(mask.dataType()));
  }
}
