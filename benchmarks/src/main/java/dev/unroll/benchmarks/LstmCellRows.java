package dev.unroll.benchmarks;

import dev.unroll.runtime.internal.Activations;
import dev.unroll.runtime.internal.RowBuffer;

/**
 * The element-wise part of a float32 LSTM step, forward and backward, over rows already bound to a
 * step's arrays: the loops of a generated FLOAT model's {@code lstmStepFloat} and {@code
 * lstmBackStepFloat}, written out once for the benchmarks that time them apart.
 */
final class LstmCellRows {
  private LstmCellRows() {}

  /** c_t, h_t and tanh(c_t) from the pre-activations {@code a} (activated in place) and c_{t-1}. */
  static void forward(int batch, int hidden, RowBuffer aRows, RowBuffer cPrevRows, RowBuffer cRows,
      RowBuffer hRows, RowBuffer tanhCRows) {
    Activations act = Activations.FLOAT32;
    int n = hidden;
    for (int b = 0; b < batch; b++) {
      float[] a = aRows.readFloats(b);
      float[] cPrev = cPrevRows.readFloats(b);
      float[] c = cRows.floatRow();
      float[] h = hRows.floatRow();
      float[] tanhC = tanhCRows.floatRow();
      // [i f g o] = [σ σ tanh σ](a_t)
      act.sigmoid(a, 0, 2 * n);
      act.tanh(a, 2 * n, n);
      act.sigmoid(a, 3 * n, n);
      for (int k = 0; k < n; k++) {
        // c_t = f ⊙ c_{t-1} + i ⊙ g
        c[k] = a[n + k] * cPrev[k] + a[k] * a[2 * n + k];
      }
      act.tanh(c, 0, tanhC, 0, n);
      for (int k = 0; k < n; k++) {
        // h_t = o ⊙ tanh(c_t)
        h[k] = a[3 * n + k] * tanhC[k];
      }
      aRows.writeFloats(b);
      cRows.writeFloats(b);
      hRows.writeFloats(b);
      tanhCRows.writeFloats(b);
    }
  }

  /** ∂L/∂a_t from ∂L/∂h_t and ∂L/∂c_t; ∂L/∂c_t becomes ∂L/∂c_{t-1} in place. */
  static void backward(int batch, int hidden, RowBuffer dhRows, RowBuffer dcRows, RowBuffer aRows,
      RowBuffer tanhCRows, RowBuffer cPrevRows, RowBuffer daRows) {
    int n = hidden;
    for (int b = 0; b < batch; b++) {
      float[] dh = dhRows.readFloats(b);
      float[] dc = dcRows.readFloats(b);
      float[] a = aRows.readFloats(b);
      float[] tanhC = tanhCRows.readFloats(b);
      float[] cPrev = cPrevRows.readFloats(b);
      float[] d = daRows.floatRow();
      for (int k = 0; k < n; k++) {
        float i = a[k];
        float f = a[n + k];
        float g = a[2 * n + k];
        float o = a[3 * n + k];
        d[3 * n + k] = dh[k] * tanhC[k] * o * (1 - o);
        float dct = dc[k] + dh[k] * o * (1 - tanhC[k] * tanhC[k]);
        d[k] = dct * g * i * (1 - i);
        d[n + k] = dct * cPrev[k] * f * (1 - f);
        d[2 * n + k] = dct * i * (1 - g * g);
        dc[k] = dct * f;
      }
      daRows.writeFloats(b);
      dcRows.writeFloats(b);
    }
  }
}
