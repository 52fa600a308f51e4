package dev.unroll.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/** The float32 forms stay within their documented error everywhere; the float64 forms are the exact ones. */
class ActivationsTest {

  private static final int N = 400_001;

  /** -20 … 20 in steps of 1e-4, plus the extremes. */
  private static double[] grid() {
    double[] x = new double[N + 4];
    for (int k = 0; k < N; k++) {
      x[k] = -20 + k * 1e-4;
    }
    x[N] = 1e-30;
    x[N + 1] = -1e300;
    x[N + 2] = 1e300;
    x[N + 3] = 0;
    return x;
  }

  @Test
  void float32FormsAreWithinTheirErrorBounds() {
    double[] x = grid();
    double[] s = x.clone();
    double[] t = new double[x.length];
    Activations.FLOAT32.sigmoid(s, 0, s.length);
    Activations.FLOAT32.tanh(x, 0, t, 0, x.length);
    double worstSigmoid = 0;
    double worstTanh = 0;
    for (int k = 0; k < x.length; k++) {
      worstSigmoid = Math.max(worstSigmoid, Math.abs(s[k] - 1 / (1 + Math.exp(-x[k]))));
      worstTanh = Math.max(worstTanh, Math.abs(t[k] - Math.tanh(x[k])));
    }
    assertTrue(worstSigmoid <= 1.4e-7, "σ error " + worstSigmoid);
    assertTrue(worstTanh <= 2.7e-7, "tanh error " + worstTanh);
    assertEquals(0.5, s[N + 3], 0, "σ(0)");
    assertEquals(0, t[N + 3], 0, "tanh(0)");
    assertTrue(t[N + 1] < 0 && t[N + 2] > 0 && Math.abs(t[N + 2] - 1) < 3e-7, "tanh saturates with the sign of x");
  }

  @Test
  void floatRowsMatchTheDoubleFormsWithinFloatRounding() {
    double[] x = grid();
    float[] xf = new float[x.length];
    for (int k = 0; k < x.length; k++) {
      xf[k] = (float) x[k];
    }
    float[] s = xf.clone();
    float[] t = new float[xf.length];
    Activations.FLOAT32.sigmoid(s, 0, s.length);
    Activations.FLOAT32.tanh(xf, 0, t, 0, xf.length);
    double worstSigmoid = 0;
    double worstTanh = 0;
    for (int k = 0; k < x.length; k++) {
      // against the exact values at the float input: the form's error plus float arithmetic's rounding
      worstSigmoid = Math.max(worstSigmoid, Math.abs(s[k] - 1 / (1 + Math.exp(-(double) xf[k]))));
      worstTanh = Math.max(worstTanh, Math.abs(t[k] - Math.tanh(xf[k])));
    }
    assertTrue(worstSigmoid <= 2.5e-7, "σ error over float rows " + worstSigmoid);
    assertTrue(worstTanh <= 4e-7, "tanh error over float rows " + worstTanh);
    assertEquals(0.5f, s[N + 3], 0, "σ(0)");
    assertEquals(0f, t[N + 3], 0, "tanh(0)");
    assertTrue(t[N + 1] < 0 && t[N + 2] > 0 && Math.abs(t[N + 2] - 1) < 4e-7, "tanh saturates with the sign of x");
    float[] exact = {-3f, 0.25f, 2f};
    float[] e = exact.clone();
    Activations.FLOAT64.tanh(e, 0, 3);
    for (int k = 0; k < 3; k++) {
      assertEquals((float) Math.tanh(exact[k]), e[k], 0, "float64 form over floats: tanh rounded once");
    }
  }

  @Test
  void float32TanhIsOddAndSigmoidSymmetric() {
    double[] x = grid();
    double[] minus = new double[x.length];
    for (int k = 0; k < x.length; k++) {
      minus[k] = -x[k];
    }
    double[] t = x.clone();
    double[] tm = minus.clone();
    double[] s = x.clone();
    double[] sm = minus.clone();
    Activations.FLOAT32.tanh(t, 0, t.length);
    Activations.FLOAT32.tanh(tm, 0, tm.length);
    Activations.FLOAT32.sigmoid(s, 0, s.length);
    Activations.FLOAT32.sigmoid(sm, 0, sm.length);
    for (int k = 0; k < x.length; k++) {
      assertEquals(-t[k], tm[k], 0, "tanh(-x) = -tanh(x) at " + x[k]);
      assertEquals(1, s[k] + sm[k], 1e-15, "σ(x) + σ(-x) = 1 at " + x[k]);
    }
  }

  @Test
  void float64FormsAreTheExactOnes() {
    double[] x = grid();
    double[] s = x.clone();
    double[] t = new double[x.length + 3];
    Activations.FLOAT64.sigmoid(s, 0, s.length);
    Activations.FLOAT64.tanh(x, 0, t, 3, x.length);
    for (int k = 0; k < x.length; k++) {
      assertEquals(Ops.sigmoid(x[k]), s[k], 0, "σ at " + x[k]);
      assertEquals(Ops.tanh(x[k]), t[k + 3], 0, "tanh at " + x[k]);
      assertEquals(Math.tanh(x[k]), t[k + 3], 1e-15, "tanh against Math.tanh at " + x[k]);
    }
  }

  @Test
  void rangesLeaveTheRestOfTheRowAlone() {
    double[] v = {5, 5, 5, 5, 5, 5};
    Activations.FLOAT32.sigmoid(v, 2, 2);
    Activations.FLOAT64.tanh(v, 5, 1);
    assertEquals(5, v[0], 0);
    assertEquals(5, v[1], 0);
    assertEquals(1 / (1 + Math.exp(-5)), v[2], 1.4e-7);
    assertEquals(v[2], v[3], 0);
    assertEquals(5, v[4], 0);
    assertEquals(Math.tanh(5), v[5], 1e-15);
  }

  @Test
  void precisionFollowsTheDataType() {
    assertSame(Activations.FLOAT64, Activations.of(DataType.DOUBLE));
    assertSame(Activations.FLOAT32, Activations.of(DataType.FLOAT));
  }
}
