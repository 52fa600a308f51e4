package dev.unroll.runtime.internal;

import dev.unroll.runtime.RuntimeOptions;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A recurrent weight {@code W [out, in]} (a layer's {@code weight_hh} or a block of its rows) as the
 * per-step products of a generated model use it. A native product costs tens of microseconds of call
 * overhead whatever its size, which dominates the tiny products of small batches (batch 1, the latency
 * case); up to {@link RuntimeOptions#maxJavaProduct()} multiply-adds per step the products run as
 * vectorised Java loops over a copy of the weight taken by {@link #refresh} once per pass, above it as ND4J's gemm.
 *
 * <p>Not thread-safe: each model instance (each {@code replica()}) has its own.
 */
public final class RecurrentWeight {
  /**
   * The default of the most multiply-adds (rows × out × in) a step's product may take to run in Java;
   * products of at most two rows (matrix-vector products, where gemm gains nothing) may take up to
   * {@link RuntimeOptions#maxJavaVectorProduct()}. Measured on the development machine, one thread, float32, median
   * µs of the forward product (a Wᵀ) / backward product (a W), Java vs native gemm: 1 × 256 × 64
   * 2.0 / 2.8 vs 25 / 19; 8 × 256 × 64 10 / 21 vs 20 / 24; 16 × 256 × 64 27 / 43 vs 29 / 23;
   * 2 × 512 × 128 12 / 13 vs 55 / 57; 1 × 1024 × 256 18 / 26 vs 137 / 144. The system property
   * {@code unroll.maxJavaProduct} ({@link RuntimeOptions}) overrides it (0: always native), for measuring.
   */
  public static final long DEFAULT_MAX_JAVA_PRODUCT = 128 * 1024;

  private final Block.Context context = new Block.Context();
  /** The operand blocks of the last step product, re-pointed every step. */
  private Block aBlock;
  private Block cBlock;
  private final INDArray weight;
  private final boolean floats;
  private final int out;
  private final int in;
  private boolean inJava;
  // W row-major [out][in] and Wᵀ row-major [in][out], and two scratch rows: float for FLOAT weights
  // (half the memory traffic and twice the SIMD lanes), double for DOUBLE weights
  private float[][] rowsF;
  private float[][] columnsF;
  private float[] inF;
  private float[] outF;
  // on native float32 passes through libnd4j: Wᵀ [in, out] as a contiguous array, copied at the
  // first product of each pass (columnsF and blockF, a block of W's rows, carry the copy)
  private INDArray transposed;
  private float[][] blockF;
  private boolean transposedNative;
  private boolean transposedStale = true;
  private double[][] rowsD;
  private double[][] columnsD;
  private double[] inD;
  private double[] outD;

  /** Wraps {@code weight [out, in]}, which stays the parameter (or a view of it). */
  public RecurrentWeight(INDArray weight) {
    if (weight.rank() != 2) {
      throw new IllegalArgumentException("a recurrent weight is [out, in], not " + Arrays.toString(weight.shape()));
    }
    this.weight = weight;
    this.floats = weight.dataType() == DataType.FLOAT;
    this.out = (int) weight.size(0);
    this.in = (int) weight.size(1);
  }

  /** The weight itself. */
  public INDArray array() {
    return weight;
  }

  /**
   * Prepares the products of one pass over {@code batch} rows: picks Java or native by size and, for
   * Java, copies the weight as it is now (call it at the start of every pass: training changes it).
   */
  public void refresh(int batch) {
    long work = (long) batch * out * in;
    RuntimeOptions options = RuntimeOptions.current();
    inJava = work <= (batch <= 2 ? options.maxJavaVectorProduct() : options.maxJavaProduct());
    if (!inJava) {
      transposedStale = true;
      transposedNative = floats && Blas.viaLibnd4j(work, weight.dataType());
      return;
    }
    Block w = Block.of(weight, context);
    if (floats) {
      if (rowsF == null) {
        rowsF = new float[out][in];
        columnsF = new float[in][out];
        inF = new float[in];
        outF = new float[out];
      }
      for (int o = 0; o < out; o++) {
        w.readFloats(o, rowsF[o]);
        for (int i = 0; i < in; i++) {
          columnsF[i][o] = rowsF[o][i];
        }
      }
    } else {
      if (rowsD == null) {
        rowsD = new double[out][in];
        columnsD = new double[in][out];
        inD = new double[in];
        outD = new double[out];
      }
      for (int o = 0; o < out; o++) {
        w.read(o, rowsD[o]);
        for (int i = 0; i < in; i++) {
          columnsD[i][o] = rowsD[o][i];
        }
      }
    }
  }

  /**
   * {@code c (+)= a · Wᵀ} natively. Where the product goes to libnd4j's {@code matmul} (float32 on the
   * oneDNN jar), {@code W} is passed as a contiguous copy of {@code Wᵀ} taken once per pass: given the
   * transposed view, the op copies it to a contiguous buffer on every call (measured, shape d's
   * 64 × 512 · 512 × 2048 at 2 threads, 35 steps: 27.6 ms with the view, 14.3 ms with the copy, which
   * takes 1.2 ms once per pass). OpenBLAS reads the view as it is.
   */
  void nativeTimesTransposed(INDArray c, INDArray a, boolean accumulate) {
    if (!transposedNative) {
      Blas.gemm(a, false, weight, true, c, 1.0, accumulate ? 1.0 : 0.0);
      return;
    }
    if (transposedStale) {
      transpose();
    }
    Blas.gemm(a, false, transposed, false, c, 1.0, accumulate ? 1.0 : 0.0);
  }

  /** Rows of W read per block of the transposition into {@link #transposed}. */
  private static final int TRANSPOSE_BLOCK = 16;

  /**
   * Copies the weight as it is now into {@link #transposed}, through the Java copy of {@code Wᵀ}:
   * {@value #TRANSPOSE_BLOCK} rows of W at a time, so that each row of {@code Wᵀ} is written in runs
   * of that many consecutive floats (shape d's 2048 × 512: 1.2 ms; one row of W at a time took about
   * twice that).
   */
  private void transpose() {
    if (transposed == null) {
      transposed = Nd4j.create(weight.dataType(), in, out);
      columnsF = columnsF != null ? columnsF : new float[in][out];
      blockF = new float[TRANSPOSE_BLOCK][in];
    }
    Block w = Block.of(weight, context);
    for (int o0 = 0; o0 < out; o0 += TRANSPOSE_BLOCK) {
      int n = Math.min(TRANSPOSE_BLOCK, out - o0);
      for (int k = 0; k < n; k++) {
        w.readFloats(o0 + k, blockF[k]);
      }
      for (int i = 0; i < in; i++) {
        float[] column = columnsF[i];
        for (int k = 0; k < n; k++) {
          column[o0 + k] = blockF[k][i];
        }
      }
    }
    Block t = Block.of(transposed, context);
    for (int i = 0; i < in; i++) {
      t.writeFloats(i, columnsF[i]);
    }
    transposedStale = false;
  }

  /** Whether the current pass computes its products in Java. */
  public boolean java() {
    return inJava;
  }

  /** {@code c (+)= a · Wᵀ}, {@code a [B, in]}, {@code c [B, out]}: for each row, an axpy per input over Wᵀ. */
  void addTimesTransposed(INDArray c, INDArray a, boolean accumulate) {
    Block ab = aBlock = Block.of(a, context, aBlock);
    Block cb = cBlock = Block.of(c, context, cBlock);
    for (int r = 0; r < ab.rows; r++) {
      if (floats) {
        ab.readFloats(r, inF);
        if (accumulate) {
          cb.readFloats(r, outF);
        } else {
          Arrays.fill(outF, 0);
        }
        axpyRows(inF, columnsF, outF);
        cb.writeFloats(r, outF);
      } else {
        ab.read(r, inD);
        if (accumulate) {
          cb.read(r, outD);
        } else {
          Arrays.fill(outD, 0);
        }
        axpyRows(inD, columnsD, outD);
        cb.write(r, outD);
      }
    }
  }

  /** {@code c = a · W}, {@code a [B, out]}, {@code c [B, in]}: for each row, an axpy per output over W. */
  void product(INDArray c, INDArray a) {
    Block ab = aBlock = Block.of(a, context, aBlock);
    Block cb = cBlock = Block.of(c, context, cBlock);
    for (int r = 0; r < ab.rows; r++) {
      if (floats) {
        ab.readFloats(r, outF);
        Arrays.fill(inF, 0);
        axpyRows(outF, rowsF, inF);
        cb.writeFloats(r, inF);
      } else {
        ab.read(r, outD);
        Arrays.fill(inD, 0);
        axpyRows(outD, rowsD, inD);
        cb.write(r, inD);
      }
    }
  }

  /**
   * {@code y += Σ_k x[k] · m[k]}, one row array per k, four rows per pass over y: with the same index
   * on every side HotSpot's superword pass vectorises the inner loop (with a flat array and an offset
   * it cannot prove the arrays independent, and does not), and four rows per pass load and store y a
   * quarter as often (64 × 256: 1.3 µs instead of 1.7; 256 × 64: 1.9 instead of 3.4–5.6; eight rows
   * per pass no longer vectorised).
   */
  private static void axpyRows(float[] x, float[][] m, float[] y) {
    int n = y.length;
    int k = 0;
    for (; k + 3 < m.length; k += 4) {
      float x0 = x[k];
      float x1 = x[k + 1];
      float x2 = x[k + 2];
      float x3 = x[k + 3];
      float[] r0 = m[k];
      float[] r1 = m[k + 1];
      float[] r2 = m[k + 2];
      float[] r3 = m[k + 3];
      for (int j = 0; j < n; j++) {
        y[j] += x0 * r0[j] + x1 * r1[j] + x2 * r2[j] + x3 * r3[j];
      }
    }
    for (; k < m.length; k++) {
      float xk = x[k];
      float[] row = m[k];
      for (int j = 0; j < n; j++) {
        y[j] += xk * row[j];
      }
    }
  }

  private static void axpyRows(double[] x, double[][] m, double[] y) {
    int n = y.length;
    int k = 0;
    for (; k + 3 < m.length; k += 4) {
      double x0 = x[k];
      double x1 = x[k + 1];
      double x2 = x[k + 2];
      double x3 = x[k + 3];
      double[] r0 = m[k];
      double[] r1 = m[k + 1];
      double[] r2 = m[k + 2];
      double[] r3 = m[k + 3];
      for (int j = 0; j < n; j++) {
        y[j] += x0 * r0[j] + x1 * r1[j] + x2 * r2[j] + x3 * r3[j];
      }
    }
    for (; k < m.length; k++) {
      double xk = x[k];
      double[] row = m[k];
      for (int j = 0; j < n; j++) {
        y[j] += xk * row[j];
      }
    }
  }
}
