package dev.unroll.it;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Small array helpers shared by the integration tests; all arithmetic in double. */
public final class TestArrays {
  private TestArrays() {}

  /** The elements of {@code a} in row-major order, as doubles (a copy; {@code a} is not touched). */
  public static double[] flat(INDArray a) {
    double[] out = new double[Math.toIntExact(a.length())];
    long[] shape = a.shape();
    long[] idx = new long[shape.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = a.getDouble(idx);
      increment(idx, shape);
    }
    return out;
  }

  /** The row-major subscripts of the {@code linear}-th element of an array of {@code shape}. */
  public static long[] subscripts(long[] shape, long linear) {
    long[] idx = new long[shape.length];
    long rest = linear;
    for (int d = shape.length - 1; d >= 0; d--) {
      idx[d] = rest % shape[d];
      rest /= shape[d];
    }
    return idx;
  }

  private static void increment(long[] idx, long[] shape) {
    for (int d = shape.length - 1; d >= 0; d--) {
      if (++idx[d] < shape[d]) {
        return;
      }
      idx[d] = 0;
    }
  }

  /** Euclidean norm, in double. */
  public static double norm(double[] a) {
    double s = 0;
    for (double v : a) {
      s += v * v;
    }
    return Math.sqrt(s);
  }

  /** ‖a − b‖, in double. */
  public static double distance(double[] a, double[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException("lengths " + a.length + " and " + b.length);
    }
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      double d = a[i] - b[i];
      s += d * d;
    }
    return Math.sqrt(s);
  }

  /**
   * ‖ours − ref‖ / ‖ref‖ in double; the absolute error ‖ours − ref‖ when ref is all zeros. NaN
   * anywhere gives NaN, which fails every {@code err < tolerance} check.
   */
  public static double relativeError(double[] ours, double[] ref) {
    double d = distance(ours, ref);
    double n = norm(ref);
    return n == 0 ? d : d / n;
  }

  /** {@link #relativeError(double[], double[])} of two arrays of the same shape (checked). */
  public static double relativeError(INDArray ours, INDArray ref) {
    if (!Arrays.equals(ours.shape(), ref.shape())) {
      throw new AssertionError(
          "shape " + Arrays.toString(ours.shape()) + ", expected " + Arrays.toString(ref.shape()));
    }
    return relativeError(flat(ours), flat(ref));
  }

  /** Whether the two arrays have the same shape and bit-for-bit the same values (compared as doubles). */
  public static boolean identical(INDArray a, INDArray b) {
    return Arrays.equals(a.shape(), b.shape()) && Arrays.equals(flat(a), flat(b));
  }

  /** A double array of {@code shape} filled from {@code values} in row-major order. */
  public static INDArray doubles(double[] values, long... shape) {
    return Nd4j.createFromArray(values).reshape('c', shape);
  }
}
