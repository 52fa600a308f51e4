package dev.unroll.runtime;

import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A recurrent weight {@code W [out, in]} (a layer's {@code weight_hh} or a block of its rows) as the
 * per-step products of a generated model use it. A native product costs tens of microseconds of call
 * overhead whatever its size, which dominates the tiny products of small batches (batch 1, the latency
 * case); below {@link #MAX_JAVA_PRODUCT} multiply-adds per step the products run as plain Java loops
 * over a copy of the weight taken by {@link #refresh} once per pass, above it as ND4J's gemm.
 *
 * <p>Not thread-safe: each model instance (each {@code replica()}) has its own.
 */
public final class RecurrentWeight {
  /**
   * The most multiply-adds (rows × out × in) a step's product may take to run in Java. Measured on
   * the development machine, one thread: a Java product of 1 × 256 × 64 took 6–8 µs, a native gemm
   * of the same 28–65 µs; at 2 × 256 × 64 Java took 15–18 µs and gemm 26–28 µs, at 4 × 256 × 64 Java
   * 27–37 µs and gemm 26–35 µs: they break even near 48 K multiply-adds. The system property
   * {@code unroll.maxJavaProduct} overrides it (0: always native), for measuring on another machine.
   */
  public static final long MAX_JAVA_PRODUCT = Long.getLong("unroll.maxJavaProduct", 32 * 1024);

  private final Block.Context context = new Block.Context();
  private final INDArray weight;
  private final boolean floats;
  private final int out;
  private final int in;
  private boolean inJava;
  // W row-major [out][in] and Wᵀ row-major [in][out], and two scratch rows: float for FLOAT weights
  // (half the memory traffic and twice the SIMD lanes), double for DOUBLE weights
  private float[] rowsF;
  private float[] columnsF;
  private float[] inF;
  private float[] outF;
  private double[] rowsD;
  private double[] columnsD;
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
    inJava = (long) batch * out * in <= MAX_JAVA_PRODUCT;
    if (!inJava) {
      return;
    }
    Block w = Block.of(weight, context);
    if (floats) {
      if (rowsF == null) {
        rowsF = new float[out * in];
        columnsF = new float[out * in];
        inF = new float[in];
        outF = new float[out];
      }
      for (int o = 0; o < out; o++) {
        w.readFloats(o, inF);
        System.arraycopy(inF, 0, rowsF, o * in, in);
        for (int i = 0; i < in; i++) {
          columnsF[i * out + o] = inF[i];
        }
      }
    } else {
      if (rowsD == null) {
        rowsD = new double[out * in];
        columnsD = new double[out * in];
        inD = new double[in];
        outD = new double[out];
      }
      for (int o = 0; o < out; o++) {
        w.read(o, inD);
        System.arraycopy(inD, 0, rowsD, o * in, in);
        for (int i = 0; i < in; i++) {
          columnsD[i * out + o] = inD[i];
        }
      }
    }
  }

  /** Whether the current pass computes its products in Java. */
  public boolean java() {
    return inJava;
  }

  /** {@code c (+)= a · Wᵀ}, {@code a [B, in]}, {@code c [B, out]}: for each row, an axpy per input over Wᵀ. */
  void addProductT(INDArray c, INDArray a, boolean accumulate) {
    Block ab = Block.of(a, context);
    Block cb = Block.of(c, context);
    for (int r = 0; r < ab.rows; r++) {
      if (floats) {
        ab.readFloats(r, inF);
        if (accumulate) {
          cb.readFloats(r, outF);
        } else {
          Arrays.fill(outF, 0);
        }
        axpyRows(inF, columnsF, outF, in, out);
        cb.writeFloats(r, outF);
      } else {
        ab.read(r, inD);
        if (accumulate) {
          cb.read(r, outD);
        } else {
          Arrays.fill(outD, 0);
        }
        axpyRows(inD, columnsD, outD, in, out);
        cb.write(r, outD);
      }
    }
  }

  /** {@code c = a · W}, {@code a [B, out]}, {@code c [B, in]}: for each row, an axpy per output over W. */
  void product(INDArray c, INDArray a) {
    Block ab = Block.of(a, context);
    Block cb = Block.of(c, context);
    for (int r = 0; r < ab.rows; r++) {
      if (floats) {
        ab.readFloats(r, outF);
        Arrays.fill(inF, 0);
        axpyRows(outF, rowsF, inF, out, in);
        cb.writeFloats(r, inF);
      } else {
        ab.read(r, outD);
        Arrays.fill(inD, 0);
        axpyRows(outD, rowsD, inD, out, in);
        cb.write(r, inD);
      }
    }
  }

  /** {@code y += Σ_k x[k] · m[k, ·]} for a row-major {@code m [n, width]}; the inner loop vectorises. */
  private static void axpyRows(float[] x, float[] m, float[] y, int n, int width) {
    for (int k = 0; k < n; k++) {
      float xk = x[k];
      if (xk != 0) {
        int base = k * width;
        for (int j = 0; j < width; j++) {
          y[j] += xk * m[base + j];
        }
      }
    }
  }

  private static void axpyRows(double[] x, double[] m, double[] y, int n, int width) {
    for (int k = 0; k < n; k++) {
      double xk = x[k];
      if (xk != 0) {
        int base = k * width;
        for (int j = 0; j < width; j++) {
          y[j] += xk * m[base + j];
        }
      }
    }
  }
}
