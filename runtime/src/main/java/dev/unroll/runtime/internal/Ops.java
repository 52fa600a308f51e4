package dev.unroll.runtime.internal;

import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The element-wise and matrix kernels that generated models call, named after the math they do.
 * Every method writes into a caller-owned output (usually a view made once per batch shape), so a
 * generated step allocates nothing. Element-wise kernels are plain Java loops over the arrays' buffers
 * (far cheaper than an ND4J call per operation at these sizes); each reads all its inputs at an index
 * before writing that index, so {@code out} may be any of the inputs.
 *
 * <p>All matrices are row-major {@code [rows, columns]}; "·" is a matrix product, "⊙" element-wise.
 * The products' names say which operand is transposed: {@code product} is {@code a · w}, {@code
 * timesTransposed} is {@code a · wᵀ} (a batch of rows times a PyTorch-layout weight) and {@code
 * transposedTimes} is {@code aᵀ · b} (a weight gradient); an {@code add} prefix accumulates into
 * {@code c}.
 */
public final class Ops {
  private Ops() {}

  /** {@code c += a · wᵀ}: adds a batch of row vectors times a PyTorch-layout weight {@code [out, in]}. */
  public static void addTimesTransposed(INDArray c, INDArray a, INDArray w) {
    Blas.gemm(a, false, w, true, c, 1.0, 1.0);
  }

  /** {@code c = a · wᵀ}. */
  public static void timesTransposed(INDArray c, INDArray a, INDArray w) {
    Blas.gemm(a, false, w, true, c, 1.0, 0.0);
  }

  /** {@code c = a · w}: back through a weight {@code [out, in]}, from {@code [B, out]} to {@code [B, in]}. */
  public static void product(INDArray c, INDArray a, INDArray w) {
    Blas.gemm(a, false, w, false, c, 1.0, 0.0);
  }

  /** {@code c += a · w}. */
  public static void addProduct(INDArray c, INDArray a, INDArray w) {
    Blas.gemm(a, false, w, false, c, 1.0, 1.0);
  }

  /** {@code c = aᵀ · b}: a weight gradient summed over all rows (all steps and batch rows) at once. */
  public static void transposedTimes(INDArray c, INDArray a, INDArray b) {
    Blas.gemm(a, true, b, false, c, 1.0, 0.0);
  }

  /**
   * {@code c += a · wᵀ} for a step's recurrent product: in Java when small, else {@link
   * #addTimesTransposed(INDArray, INDArray, INDArray)}.
   */
  public static void addTimesTransposed(INDArray c, INDArray a, RecurrentWeight w) {
    if (w.java()) {
      w.addTimesTransposed(c, a, true);
    } else {
      w.nativeTimesTransposed(c, a, true);
    }
  }

  /**
   * {@code c = a · wᵀ} for a step's recurrent product: in Java when small, else {@link
   * #timesTransposed(INDArray, INDArray, INDArray)}.
   */
  public static void timesTransposed(INDArray c, INDArray a, RecurrentWeight w) {
    if (w.java()) {
      w.addTimesTransposed(c, a, false);
    } else {
      w.nativeTimesTransposed(c, a, false);
    }
  }

  /** {@code c = a · w} for a step's recurrent product: in Java when small, else {@link #product(INDArray, INDArray, INDArray)}. */
  public static void product(INDArray c, INDArray a, RecurrentWeight w) {
    if (w.java()) {
      w.product(c, a);
    } else {
      product(c, a, w.array());
    }
  }

  /**
   * {@code y += alpha · x}, in place and without a temporary (an optimizer's {@code p -= lr · g} is
   * {@code addScaled(p, -lr, g)}): one BLAS call for contiguous arrays of one data type.
   */
  public static void addScaled(INDArray y, double alpha, INDArray x) {
    Blas.axpy(y, alpha, x);
  }

  /** {@code out = Σ_rows a}: a bias gradient summed over all steps and batch rows. */
  public static void columnSums(INDArray out, INDArray a) {
    Block x = Block.of(a);
    Rows rows = Rows.get(x.cols);
    double[] sums = rows.o;
    java.util.Arrays.fill(sums, 0, x.cols, 0);
    if (a.dataType() == DataType.FLOAT) {
      // float rows as they are, summed in double (no conversion pass per row)
      float[] row = rows.floats;
      for (int r = 0; r < x.rows; r++) {
        x.readFloats(r, row);
        for (int c = 0; c < x.cols; c++) {
          sums[c] += row[c];
        }
      }
    } else {
      for (int r = 0; r < x.rows; r++) {
        x.read(r, rows.a);
        for (int c = 0; c < x.cols; c++) {
          sums[c] += rows.a[c];
        }
      }
    }
    Block o = Block.of(out);
    if (o.rows * o.cols != x.cols) {
      throw new IllegalArgumentException("out has " + o.rows * o.cols + " elements but a has " + x.cols + " columns");
    }
    o.flat().write(0, sums);
  }

  /**
   * Matrices up to this many elements get their row added in Java; larger ones through ND4J's
   * {@code addiRowVector}. Measured (float32, 1 thread): 1 × 512 0.28 against 12.2 µs, 32 × 512 4.5
   * against 78 µs, but 1600 × 512 212 against 169 µs and 2240 × 2048 1632 against 847 µs (the Java path
   * copies each row out and back, ND4J adds in place).
   */
  static final int MAX_JAVA_ADD_ROW = 65_536;

  /**
   * {@code x += row} for every row of {@code x}: a bias added to a batch (a step's logits, one step's
   * projection when streaming) or to a whole sequence's projection.
   */
  public static void addRow(INDArray x, INDArray row) {
    if (x.length() > MAX_JAVA_ADD_ROW) {
      x.addiRowVector(row);
      return;
    }
    Block m = Block.slot(x, 0);
    Block v = Block.slot(row, 1);
    if (v.rows != 1 || v.cols != m.cols) {
      throw new IllegalArgumentException("the row added to every row of a [" + m.rows + ", " + m.cols
          + "] matrix must have " + m.cols + " elements, got " + java.util.Arrays.toString(row.shape()));
    }
    Rows rows = Rows.get(m.cols);
    int n = m.cols;
    if (x.dataType() == DataType.FLOAT) {
      float[] values = rows.floats;
      float[] add = rows.moreFloats;
      v.readFloats(0, add);
      for (int r = 0; r < m.rows; r++) {
        m.readFloats(r, values);
        for (int k = 0; k < n; k++) {
          values[k] += add[k];
        }
        m.writeFloats(r, values);
      }
    } else {
      double[] values = rows.o;
      double[] add = rows.a;
      v.read(0, add);
      for (int r = 0; r < m.rows; r++) {
        m.read(r, values);
        for (int k = 0; k < n; k++) {
          values[k] += add[k];
        }
        m.write(r, values);
      }
    }
  }

  /** {@code x = tanh(x)}, in place. */
  public static void tanh(INDArray x) {
    map(x, x, null, null, (o, v, b, c, n) -> {
      for (int i = 0; i < n; i++) {
        o[i] = tanh(v[i]);
      }
    });
  }

  /** {@code grad ⊙= 1 − y²}: the gradient through {@code y = tanh(·)}, in place. */
  public static void tanhBackward(INDArray grad, INDArray y) {
    map(grad, grad, y, null, (o, g, v, c, n) -> {
      for (int i = 0; i < n; i++) {
        o[i] = g[i] * (1 - v[i] * v[i]);
      }
    });
  }

  /** {@code out = a}. */
  public static void copy(INDArray out, INDArray a) {
    map(out, a, null, null, (o, x, b, c, n) -> System.arraycopy(x, 0, o, 0, n));
  }

  /** {@code out = a + b}. */
  public static void add(INDArray out, INDArray a, INDArray b) {
    map(out, a, b, null, (o, x, y, c, n) -> {
      for (int k = 0; k < n; k++) {
        o[k] = x[k] + y[k];
      }
    });
  }

  /** {@code out += a ⊙ b}. */
  public static void addMul(INDArray out, INDArray a, INDArray b) {
    map(out, a, b, out, (o, x, y, prev, n) -> {
      for (int k = 0; k < n; k++) {
        o[k] = prev[k] + x[k] * y[k];
      }
    });
  }

  /**
   * Padding: {@code state = prev} in every row where {@code m [B, 1]} is 0, so a padded row keeps its
   * previous state; rows where it is 1 keep the new state.
   */
  public static void keepPadded(INDArray state, INDArray prev, INDArray m) {
    Block o = Block.slot(state, 0);
    Block p = Block.slot(prev, 1);
    Block mask = Block.slot(m, 2);
    o.sameShape(p, "prev");
    double[] row = Rows.get(o.cols).a;
    for (int r = 0; r < o.rows; r++) {
      if (mask.first(r) == 0) {
        p.read(r, row);
        o.write(r, row);
      }
    }
  }

  /**
   * Padding, backwards: in every row where {@code m [B, 1]} is 0, moves the gradient into
   * {@code passed} (it reaches the previous state unchanged) and leaves 0 for this step's cell; rows
   * where it is 1 keep their gradient and pass nothing.
   */
  public static void splitPadded(INDArray grad, INDArray passed, INDArray m) {
    Block g = Block.slot(grad, 0);
    Block p = Block.slot(passed, 1);
    Block mask = Block.slot(m, 2);
    g.sameShape(p, "passed");
    Rows rows = Rows.get(g.cols);
    java.util.Arrays.fill(rows.o, 0, g.cols, 0);
    for (int r = 0; r < g.rows; r++) {
      if (mask.first(r) != 0) {
        p.write(r, rows.o);
      } else {
        g.read(r, rows.a);
        p.write(r, rows.a);
        g.write(r, rows.o);
      }
    }
  }

  /** Element-wise math on rows: {@code out[0, n)} from up to three inputs' rows. */
  @FunctionalInterface
  private interface RowKernel {
    void apply(double[] out, double[] a, double[] b, double[] c, int n);
  }

  /** Per-thread row buffers, grown as needed. */
  private static final class Rows {
    private static final ThreadLocal<Rows> CACHE = ThreadLocal.withInitial(() -> new Rows(64));
    final double[] o;
    final double[] a;
    final double[] b;
    final double[] c;
    final float[] floats;
    final float[] moreFloats;

    private Rows(int n) {
      o = new double[n];
      a = new double[n];
      b = new double[n];
      c = new double[n];
      floats = new float[n];
      moreFloats = new float[n];
    }

    static Rows get(int n) {
      Rows rows = CACHE.get();
      if (rows.o.length < n) {
        rows = new Rows(n);
        CACHE.set(rows);
      }
      return rows;
    }
  }

  /**
   * Runs {@code kernel} over every row of {@code out} (or over all of it at once when every operand is
   * contiguous), reading the rows of the given inputs first; null inputs are skipped.
   */
  private static void map(INDArray out, INDArray a, INDArray b, INDArray c, RowKernel kernel) {
    Block o = Block.slot(out, 0);
    Block x = Block.slot(a, 1);
    Block y = b == null ? null : Block.slot(b, 2);
    Block z = c == null ? null : Block.slot(c, 3);
    o.sameShape(x, "the first operand");
    if (y != null) {
      o.sameShape(y, "the second operand");
    }
    if (z != null) {
      o.sameShape(z, "the third operand");
    }
    if (o.contiguous() && x.contiguous() && (y == null || y.contiguous()) && (z == null || z.contiguous())) {
      o = o.flatInPlace();
      x = x.flatInPlace();
      y = y == null ? null : y.flatInPlace();
      z = z == null ? null : z.flatInPlace();
    }
    Rows rows = Rows.get(o.cols);
    for (int r = 0; r < o.rows; r++) {
      x.read(r, rows.a);
      if (y != null) {
        y.read(r, rows.b);
      }
      if (z != null) {
        z.read(r, rows.c);
      }
      kernel.apply(rows.o, rows.a, rows.b, rows.c, o.cols);
      o.write(r, rows.o);
    }
  }

  /** The logistic function σ(x) = 1 / (1 + e^−x), from one {@code exp}. */
  public static double sigmoid(double x) {
    return 1 / (1 + Math.exp(-x));
  }

  /**
   * tanh(x) = (1 − e) / (1 + e) with e = exp(−2|x|) and the sign of x ({@code Math.tanh} is several
   * times slower); below |x| = 0.5, where 1 − e would cancel, from the slower {@code expm1} instead:
   * −m / (2 + m), m = expm1(−2|x|). Exact at ±∞.
   */
  public static double tanh(double x) {
    double ax = Math.abs(x);
    double t;
    if (ax < 0.5) {
      double m = Math.expm1(-2 * ax);
      t = -m / (2 + m);
    } else {
      double e = Math.exp(-2 * ax);
      t = (1 - e) / (1 + e);
    }
    return x < 0 ? -t : t;
  }
}
