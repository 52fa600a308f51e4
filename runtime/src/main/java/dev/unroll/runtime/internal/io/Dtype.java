package dev.unroll.runtime.internal.io;

import java.nio.ByteBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The element types read and written: NumPy's kind and size ({@code f4}), its name ({@code float32})
 * and ND4J's {@link DataType}, with the conversions between {@code .npy} bytes and arrays.
 */
enum Dtype {
  F2('f', 2, "float16", DataType.FLOAT16),
  F4('f', 4, "float32", DataType.FLOAT),
  F8('f', 8, "float64", DataType.DOUBLE),
  I1('i', 1, "int8", DataType.INT8),
  I2('i', 2, "int16", DataType.INT16),
  I4('i', 4, "int32", DataType.INT32),
  I8('i', 8, "int64", DataType.INT64),
  U1('u', 1, "uint8", DataType.UINT8),
  U2('u', 2, "uint16", DataType.UINT16),
  U4('u', 4, "uint32", DataType.UINT32),
  U8('u', 8, "uint64", DataType.UINT64),
  B1('b', 1, "bool", DataType.BOOL);

  /** The NumPy names of every type, for messages. */
  static final String SUPPORTED =
      "float16, float32, float64, int8, int16, int32, int64, uint8, uint16, uint32, uint64, bool";

  final char kind;
  final int size;
  final String numpy;
  final DataType dataType;

  Dtype(char kind, int size, String numpy, DataType dataType) {
    this.kind = kind;
    this.size = size;
    this.numpy = numpy;
    this.dataType = dataType;
  }

  /** The little-endian {@code descr} written: {@code <f4}, {@code |u1}. */
  String descr() {
    return (size == 1 ? "|" : "<") + kind + size;
  }

  /** The type of a {@code descr}'s kind and size (either case), or null. */
  static Dtype of(char kind, int size) {
    for (Dtype t : values()) {
      if (t.kind == Character.toLowerCase(kind) && t.size == size) {
        return t;
      }
    }
    return null;
  }

  /** The type that writes an ND4J type, or null if there is none. */
  static Dtype of(DataType dataType) {
    for (Dtype t : values()) {
      if (t.dataType == dataType) {
        return t;
      }
    }
    return null;
  }

  /** An array of {@code n} elements decoded from {@code data} (in its byte order). */
  INDArray decode(ByteBuffer data, int n, long[] shape) {
    switch (this) {
      case F2: {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
          v[i] = Half.toFloat(data.getShort(i * 2) & 0xffff);
        }
        return Nd4j.create(v, shape, DataType.FLOAT).castTo(DataType.FLOAT16);
      }
      case F4: {
        float[] v = new float[n];
        data.asFloatBuffer().get(v);
        return Nd4j.create(v, shape, DataType.FLOAT);
      }
      case F8: {
        double[] v = new double[n];
        data.asDoubleBuffer().get(v);
        return Nd4j.create(v, shape, DataType.DOUBLE);
      }
      case I1: {
        byte[] v = new byte[n];
        data.get(v);
        return Nd4j.create(v, shape, DataType.INT8);
      }
      case I2: {
        short[] v = new short[n];
        data.asShortBuffer().get(v);
        return Nd4j.create(v, shape, DataType.INT16);
      }
      case I4: {
        int[] v = new int[n];
        data.asIntBuffer().get(v);
        return Nd4j.create(v, shape, DataType.INT32);
      }
      case I8: {
        long[] v = new long[n];
        data.asLongBuffer().get(v);
        return Nd4j.create(v, shape, DataType.INT64);
      }
      case U1: {
        int[] v = new int[n];
        for (int i = 0; i < n; i++) {
          v[i] = data.get(i) & 0xff;
        }
        return Nd4j.create(v, shape, DataType.INT32).castTo(DataType.UINT8);
      }
      case U2: {
        int[] v = new int[n];
        for (int i = 0; i < n; i++) {
          v[i] = data.getShort(i * 2) & 0xffff;
        }
        return Nd4j.create(v, shape, DataType.INT32).castTo(DataType.UINT16);
      }
      case U4: {
        long[] v = new long[n];
        for (int i = 0; i < n; i++) {
          v[i] = data.getInt(i * 4) & 0xffffffffL;
        }
        return Nd4j.create(v, shape, DataType.INT64).castTo(DataType.UINT32);
      }
      case U8: {
        long[] v = new long[n];
        data.asLongBuffer().get(v);
        return Nd4j.create(v, shape, DataType.INT64).castTo(DataType.UINT64);
      }
      case B1: {
        boolean[] v = new boolean[n];
        for (int i = 0; i < n; i++) {
          v[i] = data.get(i) != 0;
        }
        return Nd4j.create(v, shape, DataType.BOOL);
      }
      default:
        throw new AssertionError(this);
    }
  }

  /** Encodes the {@code n} elements of a C-ordered array whose buffer holds exactly them. */
  void encode(INDArray c, ByteBuffer data, int n) {
    switch (this) {
      case F2: {
        float[] v = c.castTo(DataType.FLOAT).data().asFloat();
        for (int i = 0; i < n; i++) {
          data.putShort(i * 2, Half.fromFloat(v[i]));
        }
        break;
      }
      case F4:
        data.asFloatBuffer().put(c.data().asFloat(), 0, n);
        break;
      case F8:
        data.asDoubleBuffer().put(c.data().asDouble(), 0, n);
        break;
      case I8:
      case U8:
        data.asLongBuffer().put(c.data().asLong(), 0, n);
        break;
      case U4: {
        long[] v = c.data().asLong();
        for (int i = 0; i < n; i++) {
          data.putInt(i * 4, (int) v[i]);
        }
        break;
      }
      case I4:
        data.asIntBuffer().put(c.data().asInt(), 0, n);
        break;
      case I2:
      case U2: {
        int[] v = c.data().asInt();
        for (int i = 0; i < n; i++) {
          data.putShort(i * 2, (short) v[i]);
        }
        break;
      }
      case I1:
      case U1:
      case B1: {
        int[] v = c.data().asInt();
        for (int i = 0; i < n; i++) {
          data.put(i, (byte) (this == B1 ? (v[i] != 0 ? 1 : 0) : v[i]));
        }
        break;
      }
      default:
        throw new AssertionError(this);
    }
  }
}
