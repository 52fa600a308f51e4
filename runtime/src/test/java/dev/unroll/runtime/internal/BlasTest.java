package dev.unroll.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.runtime.RuntimeOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Products straight into OpenBLAS equal a plain triple loop, on whole arrays and on the views
 * generated models pass: row blocks at an offset, column blocks with a row stride wider than the
 * block, operands sharing one buffer, every transpose, alpha and beta, both data types.
 */
class BlasTest {

  @Test
  void productsGoStraightToOpenBlasUnlessLargeOnOneDnn() {
    assertTrue(Blas.CPU);
    RuntimeOptions.Switch auto = RuntimeOptions.Switch.AUTO;
    assertTrue(Blas.doubleDirect(auto), "float64 products go straight to OpenBLAS");
    assertEquals(FusedLstm.oneDnn() ? Blas.ONEDNN_FROM : Long.MAX_VALUE, Blas.floatViaNd4jFrom(auto),
        "float32 products go straight to OpenBLAS, or from 1 M multiply-adds on through oneDNN on the oneDNN jar");
    assertEquals(Long.MAX_VALUE, Blas.floatViaNd4jFrom(RuntimeOptions.Switch.ON));
    assertEquals(0, Blas.floatViaNd4jFrom(RuntimeOptions.Switch.OFF));
    assertFalse(Blas.doubleDirect(RuntimeOptions.Switch.OFF));
  }

  /**
   * Both paths, every form: {@code alpha = 1} with {@code beta} 0 or 1 is what models ask for (and what
   * {@link Matmul} runs off the straight path), other factors go to {@code Nd4j.gemm} there.
   */
  @ParameterizedTest(name = "straight to OpenBLAS: {0}")
  @ValueSource(booleans = {true, false})
  void productsOfViewsMatchATripleLoop(boolean straight) {
    Nd4j.getRandom().setSeed(11);
    double[][] factors = {{1, 0}, {1, 1}, {0.5, 2.0}};
    for (DataType dt : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
      for (boolean ta : new boolean[] {false, true}) {
        for (boolean tb : new boolean[] {false, true}) {
          for (double[] f : factors) {
            int m = 3;
            int k = 5;
            int n = 4;
            // a: rows 2..(2 + its rows) of a wider buffer; b: a column block (row stride 9); c: a row block
            INDArray aStore = Nd4j.rand(dt, 10, 7).subi(0.5);
            INDArray a = Views.columns(Views.rows(aStore, 2, 2 + (ta ? k : m)), 1, 1 + (ta ? m : k));
            INDArray bStore = Nd4j.rand(dt, 8, 9).subi(0.5);
            INDArray b = Views.columns(Views.rows(bStore, 1, 1 + (tb ? n : k)), 3, 3 + (tb ? k : n));
            INDArray cStore = Nd4j.rand(dt, 6, n).subi(0.5);
            INDArray c = Views.rows(cStore, 2, 2 + m);
            double[][] expected = reference(a, ta, b, tb, c, f[0], f[1]);
            INDArray untouched = Views.rows(cStore, 0, 2).dup();
            Blas.gemm(a, ta, b, tb, c, f[0], f[1], straight);
            String what = dt + (ta ? " aᵀ" : " a") + (tb ? " bᵀ" : " b") + " alpha " + f[0] + " beta " + f[1];
            close(expected, c, dt == DataType.FLOAT ? 1e-5 : 1e-13, what);
            assertEquals(untouched, Views.rows(cStore, 0, 2), what + ": rows outside the output block kept");
          }
        }
      }
    }
  }

  @Test
  void libnd4jMatmulAllocatesNothingPerCall() {
    // the step views of a long sequence: 100 row blocks, each view with a shape descriptor of its own
    int steps = 100;
    INDArray store = Nd4j.rand(DataType.FLOAT, 2 * steps, 32).subi(0.5);
    INDArray w = Nd4j.rand(DataType.FLOAT, 48, 32).subi(0.5);
    INDArray out = Nd4j.create(DataType.FLOAT, 2 * steps, 48);
    INDArray[] aRows = new INDArray[steps];
    INDArray[] cRows = new INDArray[steps];
    for (int t = 0; t < steps; t++) {
      aRows[t] = Views.rows(store, 2 * t, 2 * t + 2);
      cRows[t] = Views.rows(out, 2 * t, 2 * t + 2);
    }
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    long id = Thread.currentThread().getId();
    long before = 0;
    for (int round = 0; round < 2; round++) {
      before = threads.getThreadAllocatedBytes(id);
      for (int call = 0; call < 1000; call++) {
        Matmul.gemm(aRows[call % steps], false, w, true, cRows[call % steps], call % 2);
      }
    }
    long perCall = (threads.getThreadAllocatedBytes(id) - before) / 1000;
    assertTrue(perCall < 16, "heap bytes per product after warm-up: " + perCall);
    double[][] expected = reference(aRows[37], false, w, true, cRows[37], 1, 0);
    Matmul.gemm(aRows[37], false, w, true, cRows[37], 0);
    close(expected, cRows[37], 1e-5, "a step's row block");
  }

  @Test
  void libnd4jMatmulKeepsNoNativeMemoryPerCall() {
    INDArray a = Nd4j.rand(DataType.FLOAT, 2, 16).subi(0.5);
    INDArray w = Nd4j.rand(DataType.FLOAT, 8, 16).subi(0.5);
    INDArray c = Nd4j.create(DataType.FLOAT, 2, 8);
    for (int call = 0; call < 1000; call++) {
      Matmul.gemm(a, false, w, true, c, 0);
    }
    long before = org.bytedeco.javacpp.Pointer.physicalBytes();
    for (int call = 0; call < 100_000; call++) {
      Matmul.gemm(a, false, w, true, c, call % 2);
    }
    long grown = org.bytedeco.javacpp.Pointer.physicalBytes() - before;
    // an op context that kept each call's array wrappers grew ~38 MB here (~380 bytes per call)
    assertTrue(grown < 10L << 20, "process memory grew " + (grown >> 20) + " MB over 100 000 products");
    Matmul.gemm(a, false, w, true, c, 0);
    close(reference(a, false, w, true, c, 1, 0), c, 1e-5, "after 100 000 calls the context still has its arguments");
  }

  @Test
  void operandsInOneBufferKeepTheirOwnOffsets() {
    INDArray store = Nd4j.rand(DataType.FLOAT, 12, 4).subi(0.5);
    INDArray a = Views.rows(store, 0, 3);
    INDArray w = Views.rows(store, 3, 7);
    INDArray c = Views.rows(store, 8, 11);
    double[][] expected = reference(a, false, w, true, c, 1, 0);
    Blas.gemm(a, false, w, true, c, 1, 0);
    close(expected, c, 1e-5, "a, w and c in one buffer");
  }

  @Test
  void columnMajorOperandsFallBackToNd4j() {
    INDArray a = Nd4j.rand(DataType.DOUBLE, 3, 5).dup('f');
    INDArray b = Nd4j.rand(DataType.DOUBLE, 5, 2);
    INDArray c = Nd4j.create(DataType.DOUBLE, 3, 2);
    double[][] expected = reference(a, false, b, false, c, 1, 0);
    Blas.gemm(a, false, b, false, c, 1, 0);
    close(expected, c, 1e-13, "column-major a");
  }

  @ParameterizedTest(name = "straight to OpenBLAS: {0}")
  @ValueSource(booleans = {true, false})
  void mismatchedShapesNameTheProduct(boolean straight) {
    INDArray a = Nd4j.create(DataType.FLOAT, 3, 5);
    INDArray b = Nd4j.create(DataType.FLOAT, 4, 2);
    INDArray c = Nd4j.create(DataType.FLOAT, 3, 2);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Blas.gemm(a, false, b, false, c, 1, 0, straight));
    assertEquals("matrix product [3, 5] · [4, 2] does not fit the output [3, 2]", e.getMessage());
    IllegalArgumentException rows = assertThrows(IllegalArgumentException.class,
        () -> Blas.gemm(a, true, b, false, c, 1, 0, straight));
    assertEquals("matrix product [3, 5]ᵀ · [4, 2] does not fit the output [3, 2]", rows.getMessage());
  }

  @Test
  void addScaledUpdatesInPlace() {
    for (DataType dt : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
      INDArray y = Nd4j.rand(dt, 6, 5);
      INDArray x = Nd4j.rand(dt, 6, 5);
      INDArray expected = y.sub(x.mul(0.25));
      INDArray same = y;
      Ops.addScaled(y, -0.25, x);
      assertTrue(same == y);
      close(toRows(expected), y, dt == DataType.FLOAT ? 1e-6 : 1e-15, dt + " y -= 0.25 x");
      // a row block at an offset (contiguous) and a column block (strided: ND4J's path)
      INDArray store = Nd4j.rand(dt, 6, 5);
      INDArray rows = Views.rows(store, 2, 4);
      INDArray cols = Views.columns(store, 1, 3);
      INDArray rowsExpected = rows.add(Views.rows(x, 0, 2).mul(2));
      Ops.addScaled(rows, 2, Views.rows(x, 0, 2).dup());
      close(toRows(rowsExpected), Views.rows(store, 2, 4), 1e-6, dt + " row block");
      INDArray colsExpected = cols.add(Views.columns(x, 0, 2).mul(2));
      Ops.addScaled(cols, 2, Views.columns(x, 0, 2).dup());
      close(toRows(colsExpected), Views.columns(store, 1, 3), 1e-6, dt + " column block");
    }
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Ops.addScaled(Nd4j.create(DataType.FLOAT, 3), 1, Nd4j.create(DataType.FLOAT, 4)));
    assertEquals("y += α·x needs arrays of one length, got y [3] and x [4]", e.getMessage());
  }

  private static double[][] toRows(INDArray m) {
    double[][] out = new double[(int) m.size(0)][(int) m.size(1)];
    for (int i = 0; i < out.length; i++) {
      for (int j = 0; j < out[i].length; j++) {
        out[i][j] = m.getDouble(i, j);
      }
    }
    return out;
  }

  private static double[][] reference(INDArray a, boolean ta, INDArray b, boolean tb, INDArray c, double alpha,
      double beta) {
    int m = (int) c.size(0);
    int n = (int) c.size(1);
    int k = (int) (ta ? a.size(0) : a.size(1));
    double[][] out = new double[m][n];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < n; j++) {
        double s = 0;
        for (int p = 0; p < k; p++) {
          s += (ta ? a.getDouble(p, i) : a.getDouble(i, p)) * (tb ? b.getDouble(j, p) : b.getDouble(p, j));
        }
        out[i][j] = alpha * s + beta * c.getDouble(i, j);
      }
    }
    return out;
  }

  private static void close(double[][] expected, INDArray actual, double tolerance, String what) {
    for (int i = 0; i < expected.length; i++) {
      for (int j = 0; j < expected[i].length; j++) {
        assertEquals(expected[i][j], actual.getDouble(i, j), tolerance, what + " at [" + i + ", " + j + "]");
      }
    }
  }
}
