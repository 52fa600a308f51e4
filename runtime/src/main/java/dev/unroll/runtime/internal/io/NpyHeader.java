package dev.unroll.runtime.internal.io;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The header of one {@code .npy} array (format versions 1.0, 2.0 and 3.0), read from the start of its
 * bytes and checked against the number of bytes the entry holds, and the reading of its data.
 */
final class NpyHeader {

  static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  /** The longest header dict accepted; NumPy's own reader stops at 10000 bytes. */
  static final int MAX_HEADER = 1 << 20;
  /** The most data bytes (and elements) one array may have: what a Java array can hold. */
  static final long MAX_DATA = Integer.MAX_VALUE - 64L;

  final Dtype type;
  final ByteOrder order;
  final boolean fortranOrder;
  final long[] shape;
  final long count;
  final long dataBytes;

  private NpyHeader(Dtype type, ByteOrder order, boolean fortranOrder, long[] shape, long count) {
    this.type = type;
    this.order = order;
    this.fortranOrder = fortranOrder;
    this.shape = shape;
    this.count = count;
    this.dataBytes = count * type.size;
  }

  /**
   * Reads the header from the start of an entry of {@code entrySize} bytes, leaving {@code in} at the
   * first data byte; the data must be exactly as long as the shape and type need.
   *
   * @param where {@code entry 'key' in <file>}, for messages
   * @throws IOException if the header is malformed, of an unsupported type, or announces a size other
   *     than the entry's
   */
  static NpyHeader read(InputStream in, long entrySize, String where) throws IOException {
    byte[] start = in.readNBytes(8);
    if (start.length < 8 || !Arrays.equals(Arrays.copyOf(start, MAGIC.length), MAGIC)) {
      throw new IOException(where + " is not a .npy array (bad magic string)");
    }
    int major = start[6] & 0xff;
    int minor = start[7] & 0xff;
    int lengthBytes;
    if (major == 1) {
      lengthBytes = 2;
    } else if (major == 2 || major == 3) {
      lengthBytes = 4;
    } else {
      throw new IOException(
          where + " has .npy format version " + major + "." + minor
              + ", which is not supported (1.0, 2.0 and 3.0 are)");
    }
    byte[] lengthField = in.readNBytes(lengthBytes);
    if (lengthField.length < lengthBytes) {
      throw new IOException(where + " has a truncated .npy header");
    }
    ByteBuffer le = ByteBuffer.wrap(lengthField).order(ByteOrder.LITTLE_ENDIAN);
    long headerLength = lengthBytes == 2 ? le.getShort(0) & 0xffffL : le.getInt(0) & 0xffffffffL;
    long prefix = 8L + lengthBytes;
    if (prefix + headerLength > entrySize) {
      throw new IOException(
          where + " has a truncated .npy header (" + headerLength + " bytes announced, "
              + Math.max(0, entrySize - prefix) + " present)");
    }
    if (headerLength > MAX_HEADER) {
      throw new IOException(
          where + " has a .npy header of " + headerLength + " bytes, more than the " + MAX_HEADER
              + " this reader accepts");
    }
    byte[] text = in.readNBytes((int) headerLength);
    if (text.length < headerLength) {
      throw new IOException(where + " has a truncated .npy header");
    }
    NpyHeader h =
        parse(
            new String(text, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1),
            where);
    long found = entrySize - prefix - headerLength;
    if (found < h.dataBytes) {
      throw new IOException(
          where + " is truncated: shape " + Arrays.toString(h.shape) + " " + h.type.numpy
              + " needs " + h.dataBytes + " bytes, found " + found);
    }
    if (found > h.dataBytes) {
      throw new IOException(
          where + " is corrupt: shape " + Arrays.toString(h.shape) + " " + h.type.numpy
              + " needs " + h.dataBytes + " bytes, but " + found
              + " follow the header (a .npy array ends with its data)");
    }
    return h;
  }

  /** Parses the header dict. */
  static NpyHeader parse(String text, String where) throws IOException {
    Object parsed;
    try {
      parsed = PyLiteral.parse(text);
    } catch (IllegalStateException e) {
      throw new IOException(
          where + " has a bad .npy header (" + e.getMessage() + "): " + abbreviate(text), e);
    }
    if (!(parsed instanceof Map)) {
      throw new IOException(where + " has a bad .npy header (not a dict): " + abbreviate(text));
    }
    Map<?, ?> dict = (Map<?, ?>) parsed;
    Object descr = dict.get("descr");
    Object fortran = dict.get("fortran_order");
    Object shape = dict.get("shape");
    if (descr == null || fortran == null || shape == null) {
      throw new IOException(
          where + " has a bad .npy header (it needs 'descr', 'fortran_order' and 'shape'): "
              + abbreviate(text));
    }
    if (!(descr instanceof String)) {
      throw new IOException(
          where + " has a structured dtype " + abbreviate(String.valueOf(descr))
              + ", which is not supported (supported: " + Dtype.SUPPORTED + ")");
    }
    String d = (String) descr;
    ByteOrder order = ByteOrder.LITTLE_ENDIAN;
    Dtype type = null;
    if (d.length() >= 3 && d.length() <= 4 && "<>|=".indexOf(d.charAt(0)) >= 0) {
      order =
          d.charAt(0) == '>'
              ? ByteOrder.BIG_ENDIAN
              : d.charAt(0) == '=' ? ByteOrder.nativeOrder() : ByteOrder.LITTLE_ENDIAN;
      try {
        type = Dtype.of(d.charAt(1), Integer.parseInt(d.substring(2)));
      } catch (NumberFormatException e) {
        type = null;
      }
    }
    if (type == null) {
      throw new IOException(
          where + " has dtype '" + abbreviate(d) + "', which is not supported (supported: "
              + Dtype.SUPPORTED + ")");
    }
    if (!(fortran instanceof Boolean)) {
      throw new IOException(
          where + " has a bad .npy header ('fortran_order' is not True or False): "
              + abbreviate(text));
    }
    if (!(shape instanceof List)) {
      throw new IOException(
          where + " has a bad .npy header ('shape' is not a tuple): " + abbreviate(text));
    }
    List<?> dims = (List<?>) shape;
    long[] s = new long[dims.size()];
    long count = 1;
    for (int i = 0; i < s.length; i++) {
      Object dim = dims.get(i);
      if (!(dim instanceof Long) || (Long) dim < 0) {
        throw new IOException(
            where + " has a bad .npy header ('shape' holds " + dim + "): " + abbreviate(text));
      }
      s[i] = (Long) dim;
      count = multiply(count, s[i], where);
    }
    long bytes = multiply(count, type.size, where);
    if (bytes > MAX_DATA) {
      throw new IOException(
          where + " is too large to read: shape " + Arrays.toString(s) + " " + type.numpy
              + " needs " + bytes + " bytes, more than a Java array holds");
    }
    return new NpyHeader(type, order, (Boolean) fortran, s, count);
  }

  /**
   * Reads the data that follows the header (the stream positioned there) into an array in C order.
   *
   * @throws IOException if the data ends early or is corrupt, or ND4J cannot hold the shape
   */
  INDArray readData(InputStream in, String where) throws IOException {
    byte[] bytes;
    try {
      bytes = new byte[(int) dataBytes];
    } catch (OutOfMemoryError e) {
      throw tooLargeForMemory(where, e);
    }
    if (in.readNBytes(bytes, 0, bytes.length) != bytes.length || in.read() != -1) {
      throw new IOException(where + " is truncated: its data ends early");
    }
    ByteBuffer data = ByteBuffer.wrap(bytes).order(order);
    long[] s = shape.clone();
    if (fortranOrder) {
      reverse(s);
    }
    try {
      INDArray array = type.decode(data, (int) count, s);
      if (fortranOrder && s.length > 1) {
        int[] axes = new int[s.length];
        for (int i = 0; i < axes.length; i++) {
          axes[i] = axes.length - 1 - i;
        }
        array = array.permute(axes).dup('c');
      }
      return array;
    } catch (OutOfMemoryError e) {
      throw tooLargeForMemory(where, e);
    } catch (RuntimeException e) {
      throw new IOException(
          where + " (shape " + Arrays.toString(shape) + " " + type.numpy
              + ") cannot be made an ND4J array: " + describe(e), e);
    }
  }

  /** An allocation for the array failed: the failure names the entry rather than ending the JVM. */
  private IOException tooLargeForMemory(String where, OutOfMemoryError e) {
    return new IOException(
        where + " (shape " + Arrays.toString(shape) + " " + type.numpy + ", " + dataBytes
            + " bytes) does not fit in memory (" + describe(e) + "); give the JVM more memory"
            + " (-Xmx), or read only the arrays you need (importWeights reads only a model's)",
        e);
  }

  /** A throwable's message, or its class name when it has none. */
  private static String describe(Throwable e) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
  }

  private static long multiply(long a, long b, String where) throws IOException {
    try {
      return Math.multiplyExact(a, b);
    } catch (ArithmeticException e) {
      throw new IOException(where + " has a shape too large to represent", e);
    }
  }

  private static void reverse(long[] a) {
    for (int i = 0, j = a.length - 1; i < j; i++, j--) {
      long t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
  }

  private static String abbreviate(String s) {
    String t = s.strip();
    return t.length() <= 200 ? t : t.substring(0, 200) + "...";
  }
}
