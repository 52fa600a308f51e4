package dev.unroll.it;

import static dev.unroll.it.TestArrays.distance;
import static dev.unroll.it.TestArrays.norm;

import java.util.Arrays;

/**
 * The pass rule of the central-difference gradient checks: numeric and analytic gradients of the
 * sampled entries agree to a relative error under {@value #TOLERANCE}, or, for arrays with tiny
 * gradients, to within the rounding noise of the difference quotients.
 */
public final class GradientRule {
  private GradientRule() {}

  /** The perturbation ε of (L(θ + ε) − L(θ − ε)) / 2ε. */
  public static final double EPS = 1e-6;
  /** The relative error allowed. */
  public static final double TOLERANCE = 1e-6;
  /** Units in the last place of the loss allowed as rounding noise per difference quotient. */
  public static final double NOISE_ULPS = 32;

  /**
   * The rounding noise of one difference quotient, allowed on top of the relative tolerance:
   * {@value #NOISE_ULPS} units in the last place of the loss, divided by 2ε (a correct float64
   * implementation measured under 5). With ε = 1e-6 and a loss near 1 that is about 4e-9 per entry:
   * it only matters for arrays whose sampled gradients are tiny (‖numeric‖ ≲ 1e-3, typically the
   * recurrent weights of the lower layer of a two-layer model), where rounding alone gives relative
   * errors of 1e-7 to 1e-6.
   */
  public static double noiseFloor(double loss) {
    return NOISE_ULPS * Math.ulp(loss) / (2 * EPS);
  }

  /** Null when {@code ana} passes against {@code numeric}; else what is wrong, entry by entry. */
  public static String compare(String param, long[][] idx, double[] numeric, double[] ana, long[] shape,
      double floor) {
    double n = norm(numeric);
    if (n == 0) {
      double worst = 0;
      for (double a : ana) {
        worst = Math.max(worst, Math.abs(a));
      }
      return worst < 1e-10
          ? null
          : param + ": numeric gradient is 0 at the sampled entries, analytic up to " + worst
              + detail(idx, numeric, ana);
    }
    double dist = distance(numeric, ana);
    double err = dist / n;
    double allowed = floor * Math.sqrt(idx.length);
    return err < TOLERANCE || dist <= allowed
        ? null
        : param + " " + Arrays.toString(shape) + ": relative error " + err + " (tolerance " + TOLERANCE
            + "), ‖numeric − analytic‖ = " + dist + " (rounding allowance " + allowed + ")"
            + detail(idx, numeric, ana);
  }

  private static String detail(long[][] idx, double[] numeric, double[] ana) {
    StringBuilder sb = new StringBuilder();
    for (int k = 0; k < idx.length; k++) {
      sb.append("\n      ").append(Arrays.toString(idx[k]))
          .append(" numeric ").append(numeric[k])
          .append(" analytic ").append(ana[k]);
    }
    return sb.toString();
  }
}
