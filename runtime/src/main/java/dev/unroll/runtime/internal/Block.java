package dev.unroll.runtime.internal;

import java.lang.ref.WeakReference;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A row-major matrix inside an ND4J buffer, copied a row at a time into Java arrays and back, so that
 * element-wise math runs as plain Java loops. On the small blocks of one time step this is far cheaper
 * than an ND4J operation, each of which crosses JNI and on strided views takes a slow path.
 */
abstract class Block {
  // not final: an owner that binds a block every step re-points the one it has (see of(a, context, reuse)),
  // so a step allocates nothing
  int base;
  int rows;
  int cols;
  int rowStride;

  private Block(int base, int rows, int cols, int rowStride) {
    set(base, rows, cols, rowStride);
  }

  private void set(int base, int rows, int cols, int rowStride) {
    this.base = base;
    this.rows = rows;
    this.cols = cols;
    this.rowStride = rowStride;
  }

  /** This block seen as one row of {@code rows × cols} elements, in place; only for a contiguous block. */
  final Block flatInPlace() {
    set(base, 1, rows * cols, rows * cols);
    return this;
  }

  /** Re-points this block at another array's buffer. */
  abstract void point(java.nio.Buffer data);

  /** Copies row {@code r} into {@code dst[0, cols)}. */
  abstract void read(int r, double[] dst);

  /** Copies {@code src[0, cols)} into row {@code r}. */
  abstract void write(int r, double[] src);

  /** Copies row {@code r} into {@code dst[0, cols)} as floats (for FLOAT blocks: no conversion). */
  abstract void readFloats(int r, float[] dst);

  /** Copies {@code src[0, cols)} into row {@code r}. */
  abstract void writeFloats(int r, float[] src);

  /** The element in row {@code r}, column 0 (for masks {@code [B, 1]}). */
  abstract double first(int r);

  /** Whether the rows follow each other without gaps. */
  final boolean contiguous() {
    return rows == 1 || rowStride == cols;
  }

  /** The same memory as one row of {@code rows × cols} elements; only for a contiguous block. */
  abstract Block flat();

  /** A block over {@code a}: a row-major matrix (or a vector, as one row) with unit column stride. */
  static Block of(INDArray a) {
    return of(a, Context.CURRENT.get());
  }

  /**
   * As {@link #of(INDArray)}, with the NIO views and scratch of {@code context}: an owner that makes
   * blocks every step (a {@link RowBuffer}, a {@link RecurrentWeight}) keeps its own context, which
   * saves a thread-local lookup per block.
   */
  static Block of(INDArray a, Context context) {
    return of(a, context, null);
  }

  /**
   * As {@link #of(INDArray, Context)}, re-pointing {@code reuse} when it is a block of the same data
   * type instead of allocating one: for owners that bind a block every step. The caller must not
   * hold on to an earlier binding of {@code reuse}.
   */
  static Block of(INDArray a, Context context, Block reuse) {
    long[] shape = a.shape();
    long[] stride = a.stride();
    int rows;
    int cols;
    int rowStride;
    if (shape.length == 2) {
      rows = (int) shape[0];
      cols = (int) shape[1];
      rowStride = (int) stride[0];
      if (cols > 1 && stride[1] != 1) {
        throw new IllegalArgumentException("expected unit column stride, got shape " + Arrays.toString(shape)
            + " stride " + Arrays.toString(stride));
      }
    } else if (shape.length == 1) {
      rows = 1;
      cols = (int) shape[0];
      rowStride = cols;
      if (cols > 1 && stride[0] != 1) {
        throw new IllegalArgumentException("expected a contiguous vector, got stride " + Arrays.toString(stride));
      }
    } else {
      throw new IllegalArgumentException("expected a matrix, got shape " + Arrays.toString(shape));
    }
    int base = (int) a.offset();
    DataType type = a.dataType();
    if (type != DataType.FLOAT && type != DataType.DOUBLE) {
      throw new IllegalArgumentException("expected FLOAT or DOUBLE, got " + type);
    }
    boolean floats = type == DataType.FLOAT;
    java.nio.Buffer nio = context.nio(a.data(), floats);
    if (reuse != null && (reuse instanceof Floats) == floats) {
      reuse.point(nio);
      reuse.set(base, rows, cols, rowStride);
      return reuse;
    }
    return floats
        ? new Floats((FloatBuffer) nio, context, base, rows, cols, rowStride)
        : new Doubles((DoubleBuffer) nio, base, rows, cols, rowStride);
  }

  /**
   * A block over {@code a} in slot {@code k} (0–3) of this thread's context, re-pointed rather than
   * allocated: for the static kernels a model calls every step. A kernel uses each slot once and
   * lets go of its blocks before it returns.
   */
  static Block slot(INDArray a, int k) {
    Context context = Context.CURRENT.get();
    Block b = of(a, context, context.slots[k]);
    context.slots[k] = b;
    return b;
  }

  /**
   * The NIO views of the last few ND4J allocations one owner used (making one costs a JNI call, about a
   * microsecond, and a model's step touches the same few buffers over and over), held weakly, and a
   * float scratch row. One per thread for the static {@link #of(INDArray)}; one per owner otherwise. Not thread-safe.
   */
  static final class Context {
    private static final int SIZE = 16;
    static final ThreadLocal<Context> CURRENT = ThreadLocal.withInitial(Context::new);
    // weak: a cached view must not keep a dropped model's buffers alive (ND4J frees an allocation when
    // its DataBuffer is collected); a collected key can never match a live buffer again
    private final WeakReference<?>[] keys = new WeakReference<?>[SIZE];
    private final java.nio.Buffer[] values = new java.nio.Buffer[SIZE];
    private int next;
    private float[] scratch = new float[0];
    private final Block[] slots = new Block[4];

    java.nio.Buffer nio(DataBuffer view, boolean floats) {
      // every ND4J view made with an offset wraps the allocation in a DataBuffer of its own, and its NIO
      // view spans the whole allocation: key on the allocation, so the views of all T steps share one entry
      DataBuffer root = view.underlyingDataBuffer();
      DataBuffer data = root == null ? view : root;
      for (int k = 0; k < SIZE; k++) {
        if (keys[k] != null && keys[k].get() == data) {
          return values[k];
        }
      }
      java.nio.Buffer nio = floats ? data.asNioFloat() : data.asNioDouble();
      keys[next] = new WeakReference<>(data);
      values[next] = nio;
      next = (next + 1) % SIZE;
      return nio;
    }

    float[] scratch(int length) {
      if (scratch.length < length) {
        scratch = new float[length];
      }
      return scratch;
    }
  }

  /**
   * All values of a FLOAT or DOUBLE matrix (or vector) in row-major order, read row by row in bulk
   * (ND4J's {@code asDouble()} reads one element at a time).
   */
  static double[] toDoubles(INDArray a) {
    Block b = of(a.rank() == 2 ? a : a.reshape(1, a.length()));
    double[] out = new double[b.rows * b.cols];
    double[] row = new double[b.cols];
    for (int r = 0; r < b.rows; r++) {
      b.read(r, row);
      System.arraycopy(row, 0, out, r * b.cols, b.cols);
    }
    return out;
  }

  /** Writes {@code values} (row-major) into a FLOAT or DOUBLE matrix (or vector), row by row in bulk. */
  static void assign(INDArray a, double[] values) {
    Block b = of(a.rank() == 2 ? a : a.reshape(1, a.length()));
    double[] row = new double[b.cols];
    for (int r = 0; r < b.rows; r++) {
      System.arraycopy(values, r * b.cols, row, 0, b.cols);
      b.write(r, row);
    }
  }

  /** Checks that {@code other} has this block's shape. */
  final void sameShape(Block other, String what) {
    if (other.rows != rows || other.cols != cols) {
      throw new IllegalArgumentException(what + " is [" + other.rows + ", " + other.cols + "] but must be ["
          + rows + ", " + cols + "]");
    }
  }

  private static final class Floats extends Block {
    private FloatBuffer data;
    private final Context context;

    Floats(FloatBuffer data, Context context, int base, int rows, int cols, int rowStride) {
      super(base, rows, cols, rowStride);
      this.data = data;
      this.context = context;
    }

    private float[] scratch() {
      return context.scratch(cols);
    }

    @Override
    void point(java.nio.Buffer data) {
      this.data = (FloatBuffer) data;
    }

    @Override
    void read(int r, double[] dst) {
      float[] f = scratch();
      data.get(base + r * rowStride, f, 0, cols);
      for (int c = 0; c < cols; c++) {
        dst[c] = f[c];
      }
    }

    @Override
    void write(int r, double[] src) {
      float[] f = scratch();
      for (int c = 0; c < cols; c++) {
        f[c] = (float) src[c];
      }
      data.put(base + r * rowStride, f, 0, cols);
    }

    @Override
    void readFloats(int r, float[] dst) {
      data.get(base + r * rowStride, dst, 0, cols);
    }

    @Override
    void writeFloats(int r, float[] src) {
      data.put(base + r * rowStride, src, 0, cols);
    }

    @Override
    double first(int r) {
      return data.get(base + r * rowStride);
    }

    @Override
    Block flat() {
      return new Floats(data, context, base, 1, rows * cols, rows * cols);
    }
  }

  private static final class Doubles extends Block {
    private DoubleBuffer data;

    Doubles(DoubleBuffer data, int base, int rows, int cols, int rowStride) {
      super(base, rows, cols, rowStride);
      this.data = data;
    }

    @Override
    void point(java.nio.Buffer data) {
      this.data = (DoubleBuffer) data;
    }

    @Override
    void read(int r, double[] dst) {
      data.get(base + r * rowStride, dst, 0, cols);
    }

    @Override
    void write(int r, double[] src) {
      data.put(base + r * rowStride, src, 0, cols);
    }

    @Override
    void readFloats(int r, float[] dst) {
      for (int c = 0; c < cols; c++) {
        dst[c] = (float) data.get(base + r * rowStride + c);
      }
    }

    @Override
    void writeFloats(int r, float[] src) {
      for (int c = 0; c < cols; c++) {
        data.put(base + r * rowStride + c, src[c]);
      }
    }

    @Override
    double first(int r) {
      return data.get(base + r * rowStride);
    }

    @Override
    Block flat() {
      return new Doubles(data, base, 1, rows * cols, rows * cols);
    }
  }
}
