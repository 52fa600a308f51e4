package dev.unroll.runtime.internal;

import org.nd4j.linalg.api.buffer.DataType;

/**
 * σ and tanh over a run of a row, in the precision of a model's data type. Generated cells apply
 * their activations with these whole-run calls between their unit loops: a plain loop over one
 * array range with no calls inside is what HotSpot turns into SIMD code, while an activation
 * called once per unit inside a loop that writes several arrays stays scalar.
 *
 * <ul>
 *   <li>{@link #FLOAT32} (float models) uses a rational approximation of tanh (the
 *       [13/6] minimax form Eigen and TensorFlow use for float32), and σ(x) = ½ + ½ tanh(x/2):
 *       no {@code exp}, only multiplies, adds, one division and a clamp, so the loops vectorise.
 *       Absolute error at most 2.7e-7 for tanh and 1.4e-7 for σ over the whole real line,
 *       about two float32 ulps near 1; the values are stored as float32 anyway. Over {@code float[]}
 *       rows (what FLOAT models' loops use) the same form runs in float arithmetic.
 *   <li>{@link #FLOAT64} (double models: gradient checks, references) computes them from
 *       {@code Math.exp} to double precision ({@link Ops#sigmoid}, {@link Ops#tanh}).
 * </ul>
 */
public final class Activations {
  /** Float-accurate rational forms, for FLOAT models. */
  public static final Activations FLOAT32 = new Activations(false);
  /** Exact {@code exp} forms, for DOUBLE models. */
  public static final Activations FLOAT64 = new Activations(true);

  /** Beyond ±this, the rational tanh is clamped; its value there is 1 − 2.8e-7 in float32's terms. */
  private static final double CLAMP = 7.90531110763549805;
  private static final float CLAMP_F = (float) CLAMP;

  private final boolean exact;

  private Activations(boolean exact) {
    this.exact = exact;
  }

  /** The activations for a model of {@code dataType}: exact for DOUBLE, float-accurate otherwise. */
  public static Activations of(DataType dataType) {
    return dataType == DataType.DOUBLE ? FLOAT64 : FLOAT32;
  }

  /** {@code v[from, from + n) = σ(v[from, from + n))}, in place. */
  public void sigmoid(double[] v, int from, int n) {
    int end = from + n;
    if (exact) {
      for (int k = from; k < end; k++) {
        v[k] = Ops.sigmoid(v[k]);
      }
    } else {
      for (int k = from; k < end; k++) {
        v[k] = 0.5 + 0.5 * rationalTanh(0.5 * v[k]);
      }
    }
  }

  /** {@code v[from, from + n) = tanh(v[from, from + n))}, in place. */
  public void tanh(double[] v, int from, int n) {
    tanh(v, from, v, from, n);
  }

  /** {@code dst[to, to + n) = tanh(src[from, from + n))}. */
  public void tanh(double[] src, int from, double[] dst, int to, int n) {
    if (exact) {
      for (int k = 0; k < n; k++) {
        dst[to + k] = Ops.tanh(src[from + k]);
      }
    } else {
      for (int k = 0; k < n; k++) {
        dst[to + k] = rationalTanh(src[from + k]);
      }
    }
  }

  /** {@code v[from, from + n) = σ(v[from, from + n))}, in place, over a float row. */
  public void sigmoid(float[] v, int from, int n) {
    int end = from + n;
    if (exact) {
      for (int k = from; k < end; k++) {
        v[k] = (float) Ops.sigmoid(v[k]);
      }
    } else {
      for (int k = from; k < end; k++) {
        v[k] = 0.5f + 0.5f * rationalTanh(0.5f * v[k]);
      }
    }
  }

  /** {@code v[from, from + n) = tanh(v[from, from + n))}, in place, over a float row. */
  public void tanh(float[] v, int from, int n) {
    int end = from + n;
    if (exact) {
      for (int k = from; k < end; k++) {
        v[k] = (float) Ops.tanh(v[k]);
      }
    } else {
      for (int k = from; k < end; k++) {
        v[k] = rationalTanh(v[k]);
      }
    }
  }

  /**
   * {@code dst[to, to + n) = tanh(src[from, from + n))}, over float rows: a copy, then the in-place
   * loop. JDK 17's C2 vectorises the in-place float loop (0.6 ns per element measured) but not the
   * same loop from one float array into another (5.7 ns), while it does vectorise that for doubles.
   */
  public void tanh(float[] src, int from, float[] dst, int to, int n) {
    System.arraycopy(src, from, dst, to, n);
    tanh(dst, to, n);
  }

  /**
   * tanh(x) as p(x)/q(x) with x clamped to ±7.905 (odd degree-13 numerator, even degree-6
   * denominator): Eigen's {@code generic_fast_tanh_float} coefficients.
   */
  static double rationalTanh(double value) {
    double x = Math.max(-CLAMP, Math.min(CLAMP, value));
    double x2 = x * x;
    double p = x2 * -2.76076847742355e-16 + 2.00018790482477e-13;
    p = x2 * p + -8.60467152213735e-11;
    p = x2 * p + 5.12229709037114e-08;
    p = x2 * p + 1.48572235717979e-05;
    p = x2 * p + 6.37261928875436e-04;
    p = x2 * p + 4.89352455891786e-03;
    double q = x2 * 1.19825839466702e-06 + 1.18534705686654e-04;
    q = x2 * q + 2.26843463243900e-03;
    q = x2 * q + 4.89352518554385e-03;
    return x * p / q;
  }

  /**
   * The same rational tanh in float arithmetic, for float rows: the coefficients are Eigen's float32
   * ones, so float evaluation loses nothing against the double form once stored as float, and the
   * loop runs sixteen lanes per AVX-512 instruction instead of eight.
   */
  static float rationalTanh(float value) {
    float x = Math.max(-CLAMP_F, Math.min(CLAMP_F, value));
    float x2 = x * x;
    float p = x2 * -2.76076847742355e-16f + 2.00018790482477e-13f;
    p = x2 * p + -8.60467152213735e-11f;
    p = x2 * p + 5.12229709037114e-08f;
    p = x2 * p + 1.48572235717979e-05f;
    p = x2 * p + 6.37261928875436e-04f;
    p = x2 * p + 4.89352455891786e-03f;
    float q = x2 * 1.19825839466702e-06f + 1.18534705686654e-04f;
    q = x2 * q + 2.26843463243900e-03f;
    q = x2 * q + 4.89352518554385e-03f;
    return x * p / q;
  }
}
