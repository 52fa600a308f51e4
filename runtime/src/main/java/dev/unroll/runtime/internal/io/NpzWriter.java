package dev.unroll.runtime.internal.io;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Writes NumPy {@code .npz} archives: one stored entry {@code <key>.npy} per array, in map order, each
 * in {@code .npy} format 1.0 (2.0 if its header needs it), C order, little-endian. Internal; see the
 * package description.
 */
public final class NpzWriter {

  private static final int NPY_ALIGN = 64;

  private NpzWriter() {}

  /**
   * Checks that every key and array can be written, before anything is.
   *
   * @param target the file to be written, for messages
   * @throws IllegalArgumentException if a key or array is null, or an array's type has no NumPy
   *     equivalent here
   */
  public static void check(Map<String, INDArray> arrays, Object target) {
    for (Map.Entry<String, INDArray> e : arrays.entrySet()) {
      if (e.getKey() == null) {
        throw new IllegalArgumentException("cannot write a null key to " + target);
      }
      if (e.getValue() == null) {
        throw new IllegalArgumentException("array '" + e.getKey() + "' is null");
      }
      type(e.getValue().dataType(), e.getKey());
    }
  }

  /** Writes the archive to {@code out} (left open). */
  public static void write(Map<String, INDArray> arrays, OutputStream out) throws IOException {
    check(arrays, "the archive");
    StoredZipWriter zip = new StoredZipWriter(out);
    for (Map.Entry<String, INDArray> e : arrays.entrySet()) {
      zip.put(e.getKey() + ".npy", toNpy(e.getValue(), e.getKey()));
    }
    zip.finish();
  }

  /** The archive's bytes. */
  public static byte[] toBytes(Map<String, INDArray> arrays) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    write(arrays, out);
    return out.toByteArray();
  }

  private static Dtype type(DataType t, String key) {
    Dtype d = Dtype.of(t);
    if (d == null) {
      throw new IllegalArgumentException(
          "array '" + key + "' has data type " + t + ", which has no .npy equivalent here;"
              + " cast it to FLOAT, DOUBLE, LONG or INT first");
    }
    return d;
  }

  /** Encodes one array as a {@code .npy} file, format 1.0 (2.0 if the header is too long). */
  static byte[] toNpy(INDArray array, String key) {
    Dtype type = type(array.dataType(), key);
    long[] shape = array.shape();
    long n = array.length();
    byte[] header = header(type.descr(), shape);
    long total = header.length + n * type.size;
    if (total > NpyHeader.MAX_DATA) {
      throw new IllegalArgumentException(
          "array '" + key + "' is too large to write (" + total + " bytes)");
    }
    ByteBuffer out = ByteBuffer.allocate((int) total).order(ByteOrder.LITTLE_ENDIAN);
    out.put(header);
    if (n > 0) {
      type.encode(contiguous(array), out.slice().order(ByteOrder.LITTLE_ENDIAN), (int) n);
    }
    return out.array();
  }

  /** A C-ordered copy whose data buffer holds exactly the array's elements, from offset 0. */
  private static INDArray contiguous(INDArray array) {
    INDArray c = array.dup('c');
    if (c.offset() != 0 || c.data().length() != c.length()) {
      INDArray fresh = Nd4j.create(array.dataType(), array.shape(), 'c');
      fresh.assign(array);
      c = fresh;
    }
    return c;
  }

  /** The magic string, version, header length and header dict, padded to a multiple of 64. */
  private static byte[] header(String descr, long[] shape) {
    StringBuilder dims = new StringBuilder("(");
    for (int i = 0; i < shape.length; i++) {
      if (i > 0) {
        dims.append(", ");
      }
      dims.append(shape[i]);
    }
    if (shape.length == 1) {
      dims.append(',');
    }
    dims.append(')');
    String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + dims + ", }";
    int prefix = 10;
    int major = 1;
    int unpadded = prefix + dict.length() + 1;
    int padded = (unpadded + NPY_ALIGN - 1) / NPY_ALIGN * NPY_ALIGN;
    if (padded - prefix > 0xffff) {
      major = 2;
      prefix = 12;
      unpadded = prefix + dict.length() + 1;
      padded = (unpadded + NPY_ALIGN - 1) / NPY_ALIGN * NPY_ALIGN;
    }
    byte[] text =
        (dict + " ".repeat(padded - unpadded) + "\n").getBytes(StandardCharsets.ISO_8859_1);
    ByteBuffer b = ByteBuffer.allocate(padded).order(ByteOrder.LITTLE_ENDIAN);
    b.put(NpyHeader.MAGIC).put((byte) major).put((byte) 0);
    if (major == 1) {
      b.putShort((short) text.length);
    } else {
      b.putInt(text.length);
    }
    b.put(text);
    return b.array();
  }
}
