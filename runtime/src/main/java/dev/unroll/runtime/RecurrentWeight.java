package dev.unroll.runtime;

import java.util.Arrays;
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
  private final int out;
  private final int in;
  private double[] rows;
  private double[] columns;
  private double[] scratchIn;
  private double[] scratchOut;
  private boolean inJava;

  /** Wraps {@code weight [out, in]}, which stays the parameter (or a view of it). */
  public RecurrentWeight(INDArray weight) {
    if (weight.rank() != 2) {
      throw new IllegalArgumentException("a recurrent weight is [out, in], not " + Arrays.toString(weight.shape()));
    }
    this.weight = weight;
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
    if (rows == null) {
      rows = new double[out * in];
      columns = new double[out * in];
      scratchIn = new double[in];
      scratchOut = new double[out];
    }
    Block w = Block.of(weight, context);
    double[] row = scratchIn;
    for (int o = 0; o < out; o++) {
      w.read(o, row);
      System.arraycopy(row, 0, rows, o * in, in);
      for (int i = 0; i < in; i++) {
        columns[i * out + o] = row[i];
      }
    }
  }

  /** Whether the current pass computes its products in Java. */
  public boolean java() {
    return inJava;
  }

  /** {@code c += a · Wᵀ}, {@code a [B, in]}, {@code c [B, out]}. */
  void addProductT(INDArray c, INDArray a, boolean accumulate) {
    Block ab = Block.of(a, context);
    Block cb = Block.of(c, context);
    double[] x = scratchIn;
    double[] y = scratchOut;
    for (int r = 0; r < ab.rows; r++) {
      ab.read(r, x);
      if (accumulate) {
        cb.read(r, y);
      } else {
        Arrays.fill(y, 0);
      }
      for (int i = 0; i < in; i++) {
        double xi = x[i];
        if (xi != 0) {
          int base = i * out;
          for (int o = 0; o < out; o++) {
            y[o] += xi * columns[base + o];
          }
        }
      }
      cb.write(r, y);
    }
  }

  /** {@code c = a · W}, {@code a [B, out]}, {@code c [B, in]}. */
  void product(INDArray c, INDArray a) {
    Block ab = Block.of(a, context);
    Block cb = Block.of(c, context);
    double[] x = scratchOut;
    double[] y = scratchIn;
    for (int r = 0; r < ab.rows; r++) {
      ab.read(r, x);
      Arrays.fill(y, 0);
      for (int o = 0; o < out; o++) {
        double xo = x[o];
        if (xo != 0) {
          int base = o * in;
          for (int i = 0; i < in; i++) {
            y[i] += xo * rows[base + i];
          }
        }
      }
      cb.write(r, y);
    }
  }
}
