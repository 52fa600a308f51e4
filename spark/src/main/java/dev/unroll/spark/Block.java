package dev.unroll.spark;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * An array as Spark ships it: its shape and its elements in row-major order, in a primitive Java array
 * ({@code double[]}, {@code float[]} or {@code long[]}). Java serialization and Kryo both move primitive
 * arrays without help, so nothing here needs ND4J on the receiving side until {@link #toArray()} is
 * called, and no Kryo registrator is needed.
 */
public final class Block implements Serializable {
  private static final long serialVersionUID = 1L;

  private final long[] shape;
  private final double[] doubles;
  private final float[] floats;
  private final long[] longs;

  private Block(long[] shape, double[] doubles, float[] floats, long[] longs) {
    this.shape = shape;
    this.doubles = doubles;
    this.floats = floats;
    this.longs = longs;
  }

  /**
   * A copy of {@code a}: float64 stays {@code double[]}, float32 (and the smaller float types) become
   * {@code float[]}, integer types {@code long[]}.
   *
   * @throws IllegalArgumentException for a boolean or string array
   */
  public static Block of(INDArray a) {
    // a dense array is read as it is: a dup would cost a native allocation (~14 ns a float here)
    boolean dense = a.ordering() == 'c' && a.offset() == 0 && a.data().length() == a.length()
        && (a.length() <= 1 || a.elementWiseStride() == 1);
    INDArray c = dense ? a : a.dup('c');
    long[] shape = a.shape().clone();
    DataType t = a.dataType();
    if (t == DataType.DOUBLE) {
      return new Block(shape, c.data().asDouble(), null, null);
    }
    if (t.isFPType()) {
      return new Block(shape, null, (t == DataType.FLOAT ? c : c.castTo(DataType.FLOAT)).data().asFloat(), null);
    }
    if (t.isIntType()) {
      return new Block(shape, null, null, (t == DataType.INT64 ? c : c.castTo(DataType.INT64)).data().asLong());
    }
    throw new IllegalArgumentException("cannot ship an array of " + t + "; numbers only");
  }

  /** Blocks of rows {@code [from, to)} of {@code a} along its first dimension. */
  public static Block rows(INDArray a, long from, long to) {
    return of(a.get(NDArrayIndex.interval(from, to)));
  }

  /** Copies of every array, in order. */
  public static Block[] of(List<INDArray> arrays) {
    Block[] out = new Block[arrays.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = of(arrays.get(i));
    }
    return out;
  }

  /** The shape. */
  public long[] shape() {
    return shape.clone();
  }

  /** The number of elements. */
  public long length() {
    return doubles != null ? doubles.length : floats != null ? floats.length : longs.length;
  }

  /** The bytes of the elements (what moves over the network, headers aside). */
  public long bytes() {
    return doubles != null ? 8L * doubles.length : floats != null ? 4L * floats.length : 8L * longs.length;
  }

  /** The data type {@link #toArray()} gives: DOUBLE, FLOAT or INT64. */
  public DataType dataType() {
    return doubles != null ? DataType.DOUBLE : floats != null ? DataType.FLOAT : DataType.INT64;
  }

  /** A new ND4J array of this shape and {@link #dataType()}. */
  public INDArray toArray() {
    INDArray flat = doubles != null ? Nd4j.createFromArray(doubles)
        : floats != null ? Nd4j.createFromArray(floats) : Nd4j.createFromArray(longs);
    return shape.length == 0 ? flat.reshape() : flat.reshape('c', shape);
  }

  /**
   * Writes these elements into {@code target} (same shape), converting to its data type.
   *
   * @throws IllegalArgumentException if the shapes differ
   */
  public void copyInto(INDArray target) {
    if (!Arrays.equals(shape, target.shape())) {
      throw new IllegalArgumentException(
          "cannot copy a block of shape " + Arrays.toString(shape) + " into an array of shape "
              + Arrays.toString(target.shape()));
    }
    INDArray a = toArray();
    target.assign(a.dataType() == target.dataType() ? a : a.castTo(target.dataType()));
  }

  /** The elements as doubles, row-major (a copy for FLOAT and INT64 blocks, the array itself for DOUBLE). */
  double[] asDoubles() {
    if (doubles != null) {
      return doubles;
    }
    double[] out = new double[(int) length()];
    for (int i = 0; i < out.length; i++) {
      out[i] = floats != null ? floats[i] : longs[i];
    }
    return out;
  }

  /** A block of this shape holding {@code values}, as FLOAT or DOUBLE. */
  static Block ofDoubles(long[] shape, double[] values, DataType type) {
    if (type == DataType.DOUBLE) {
      return new Block(shape.clone(), values, null, null);
    }
    float[] f = new float[values.length];
    for (int i = 0; i < f.length; i++) {
      f[i] = (float) values[i];
    }
    return new Block(shape.clone(), null, f, null);
  }

  /** The elements as longs (INT64 blocks only). */
  long[] asLongs() {
    if (longs == null) {
      throw new IllegalStateException("a " + dataType() + " block has no integer elements");
    }
    return longs;
  }
}
