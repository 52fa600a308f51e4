package dev.unroll.runtime.internal;

import java.util.Objects;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Seeded parameter initialisation. The values are a deterministic function of the
 * {@link SplittableRandom}'s state and the array's shape (filled in C order), the same on every
 * platform and backend; they are not PyTorch's random stream. Each call draws the values on the Java
 * heap and writes them in one bulk assignment, in place.
 */
public final class Init {

  private Init() {}

  /**
   * The data type a model computes in, checked.
   *
   * @throws IllegalArgumentException unless {@code dataType} is {@code FLOAT} or {@code DOUBLE}
   */
  public static DataType dataType(DataType dataType) {
    if (dataType != DataType.FLOAT && dataType != DataType.DOUBLE) {
      throw new IllegalArgumentException("models compute in FLOAT or DOUBLE, not " + dataType);
    }
    return dataType;
  }

  /**
   * A new array of {@code shape}, filled as {@link #uniform(INDArray, double, SplittableRandom)}
   * fills one: the same values, drawn in the same order.
   */
  public static INDArray uniform(DataType dataType, double bound, SplittableRandom rng, long... shape) {
    INDArray target = Nd4j.create(dataType, shape);
    uniform(target, bound, rng);
    return target;
  }

  /**
   * A new array of {@code shape}, filled as {@link #normal(INDArray, SplittableRandom)} fills one: the
   * same values, drawn in the same order.
   */
  public static INDArray normal(DataType dataType, SplittableRandom rng, long... shape) {
    INDArray target = Nd4j.create(dataType, shape);
    normal(target, rng);
    return target;
  }

  /**
   * Fills {@code target} in place, in C order, with values drawn uniformly from
   * {@code [-bound, bound)} (PyTorch initialises recurrent and linear layers with
   * {@code bound = 1 / sqrt(hidden)} or {@code 1 / sqrt(in_features)}).
   *
   * @param target a floating-point array (may be a view)
   * @param bound the half-width of the interval, at least 0 (0 fills zeros)
   * @param rng the source of randomness, advanced by one draw per element
   * @throws IllegalArgumentException if {@code bound} is negative or not finite, or {@code target}
   *     is not floating point
   */
  public static void uniform(INDArray target, double bound, SplittableRandom rng) {
    check(target, rng);
    if (!(bound >= 0) || Double.isInfinite(bound)) {
      throw new IllegalArgumentException("bound must be finite and at least 0 but is " + bound);
    }
    int n = length(target);
    double[] v = new double[n];
    if (bound > 0) {
      for (int i = 0; i < n; i++) {
        v[i] = rng.nextDouble(-bound, bound);
      }
    }
    fill(target, v);
  }

  /**
   * Fills {@code target} in place, in C order, with standard normal values N(0, 1) (PyTorch
   * initialises {@code nn.Embedding} this way), by the Box–Muller transform.
   *
   * @param target a floating-point array (may be a view)
   * @param rng the source of randomness, advanced by two draws per pair of elements
   * @throws IllegalArgumentException if {@code target} is not floating point
   */
  public static void normal(INDArray target, SplittableRandom rng) {
    check(target, rng);
    int n = length(target);
    double[] v = new double[n];
    for (int i = 0; i < n; i += 2) {
      double u1 = 1.0 - rng.nextDouble(); // in (0, 1], so the log is finite
      double u2 = rng.nextDouble();
      double r = Math.sqrt(-2.0 * Math.log(u1));
      double theta = 2.0 * Math.PI * u2;
      v[i] = r * Math.cos(theta);
      if (i + 1 < n) {
        v[i + 1] = r * Math.sin(theta);
      }
    }
    fill(target, v);
  }

  private static void check(INDArray target, SplittableRandom rng) {
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(rng, "rng");
    if (!target.dataType().isFPType()) {
      throw new IllegalArgumentException(
          "can only initialise floating-point arrays, not " + target.dataType());
    }
  }

  private static int length(INDArray target) {
    long n = target.length();
    if (n > Integer.MAX_VALUE - 64L) {
      throw new IllegalArgumentException("array of " + n + " elements is too large to initialise");
    }
    return (int) n;
  }

  private static void fill(INDArray target, double[] v) {
    if (v.length == 0) {
      return;
    }
    target.assign(Nd4j.create(v, target.shape(), target.dataType()));
  }
}
