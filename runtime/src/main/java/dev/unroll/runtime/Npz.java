package dev.unroll.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reads and writes NumPy {@code .npz} archives: a zip file with one {@code .npy} array per entry, as
 * written by {@code numpy.savez} and {@code numpy.savez_compressed} and read by {@code numpy.load}.
 *
 * <p>The {@code .npy} format is parsed here rather than by ND4J, because ND4J cannot read
 * 0-dimensional arrays (which PyTorch's scalar buffers and losses become). Supported element types
 * are {@code float16/32/64}, {@code int8/16/32/64}, {@code uint8/16/32/64} and {@code bool}, in
 * either byte order and either C or Fortran layout; {@code .npy} format versions 1.0, 2.0 and 3.0
 * are accepted. Arrays are always returned in C order.
 *
 * <p>Every problem with a file is reported as an {@link IOException} whose message names the file
 * and, where it concerns one array, the entry.
 */
public final class Npz {

  private static final byte[] NPY_MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
  private static final int NPY_ALIGN = 64;
  private static final String SUPPORTED =
      "float16, float32, float64, int8, int16, int32, int64, uint8, uint16, uint32, uint64, bool";

  private Npz() {}

  /**
   * Reads every array of a NumPy {@code .npz} archive (entries stored or deflated).
   *
   * @param path the archive
   * @return the arrays in archive order, keyed by entry name without the {@code .npy} suffix; a
   *     0-dimensional entry becomes a rank-0 scalar array; {@code bool} becomes {@link DataType#BOOL}
   * @throws NoSuchFileException if the file does not exist
   * @throws IOException if the file cannot be read, is not a zip archive, is truncated, or holds an
   *     entry that is not a supported {@code .npy} array or is shorter than its shape needs; the
   *     message names the file and the entry
   */
  public static Map<String, INDArray> read(Path path) throws IOException {
    Objects.requireNonNull(path, "path");
    String file = path.toString();
    if (!Files.exists(path)) {
      throw new NoSuchFileException(file, null, "no such file");
    }
    if (Files.isDirectory(path)) {
      throw new IOException(file + " is a directory, not a NumPy .npz archive");
    }
    checkZipSignature(path, file);
    Map<String, INDArray> out = new LinkedHashMap<>();
    ZipFile zip;
    try {
      zip = new ZipFile(path.toFile());
    } catch (IOException | RuntimeException e) {
      throw new IOException(
          file + " is truncated or corrupt: it starts like a zip file but cannot be opened as one ("
              + describe(e) + ")", e);
    }
    try (zip) {
      Enumeration<? extends ZipEntry> entries = zip.entries();
      while (true) {
        ZipEntry entry;
        try {
          if (!entries.hasMoreElements()) {
            break;
          }
          entry = entries.nextElement();
        } catch (RuntimeException e) {
          throw new IOException(file + " is corrupt (" + describe(e) + ")", e);
        }
        if (entry.isDirectory()) {
          continue;
        }
        String name = entry.getName();
        String key = name.endsWith(".npy") ? name.substring(0, name.length() - 4) : name;
        if (out.containsKey(key)) {
          throw new IOException(file + " holds entry '" + key + "' twice");
        }
        byte[] bytes = readEntry(zip, entry, key, file);
        out.put(key, parseNpy(bytes, key, file));
      }
    }
    return out;
  }

  /**
   * Writes arrays to a NumPy {@code .npz} archive that {@code numpy.load} reads: one stored (not
   * compressed) entry {@code <key>.npy} per array, in map order, each in {@code .npy} format 1.0,
   * C order, little-endian. Views and non-contiguous arrays are written with their logical values.
   *
   * <p>The archive is first written to a temporary file in the target's directory and then moved
   * over the target, so that a crash never leaves a half-written file under the target's name.
   *
   * <p>Element types: {@code FLOAT} ({@code <f4}), {@code DOUBLE} ({@code <f8}), {@code HALF}
   * ({@code <f2}), {@code LONG} ({@code <i8}), {@code INT} ({@code <i4}), {@code SHORT}
   * ({@code <i2}), {@code BYTE} ({@code |i1}), {@code UBYTE} ({@code |u1}), {@code UINT16},
   * {@code UINT32}, {@code UINT64} and {@code BOOL} ({@code |b1}).
   *
   * @param path the archive to create or replace
   * @param arrays the arrays by key
   * @throws IllegalArgumentException if a key or array is null, or an array's type has no NumPy
   *     equivalent here (checked before anything is written)
   * @throws IOException if the file cannot be written; the target is then left as it was
   */
  public static void write(Path path, Map<String, INDArray> arrays) throws IOException {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(arrays, "arrays");
    for (Map.Entry<String, INDArray> e : arrays.entrySet()) {
      if (e.getKey() == null) {
        throw new IllegalArgumentException("cannot write a null key to " + path);
      }
      if (e.getValue() == null) {
        throw new IllegalArgumentException("array '" + e.getKey() + "' is null");
      }
      WriteType.of(e.getValue().dataType(), e.getKey());
    }
    Path target = path.toAbsolutePath();
    Path dir = target.getParent();
    Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
    boolean moved = false;
    try {
      try (FileChannel channel =
              FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
          ZipOutputStream zip = new ZipOutputStream(Channels.newOutputStream(channel))) {
        for (Map.Entry<String, INDArray> e : arrays.entrySet()) {
          byte[] npy = toNpy(e.getValue(), e.getKey());
          CRC32 crc = new CRC32();
          crc.update(npy);
          ZipEntry entry = new ZipEntry(e.getKey() + ".npy");
          entry.setMethod(ZipEntry.STORED);
          entry.setSize(npy.length);
          entry.setCompressedSize(npy.length);
          entry.setCrc(crc.getValue());
          zip.putNextEntry(entry);
          zip.write(npy);
          zip.closeEntry();
        }
        zip.finish();
        zip.flush();
        channel.force(true);
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      moved = true;
    } finally {
      if (!moved) {
        Files.deleteIfExists(tmp);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // reading

  private static void checkZipSignature(Path path, String file) throws IOException {
    byte[] head = new byte[4];
    int n;
    try (InputStream in = Files.newInputStream(path)) {
      n = in.readNBytes(head, 0, 4);
    }
    if (n == 0) {
      throw new IOException(file + " is not a NumPy .npz archive (empty file)");
    }
    boolean zip =
        n == 4
            && head[0] == 'P'
            && head[1] == 'K'
            && ((head[2] == 3 && head[3] == 4) || (head[2] == 5 && head[3] == 6));
    if (!zip) {
      if (n >= NPY_MAGIC.length - 2 && head[0] == NPY_MAGIC[0] && head[1] == 'N') {
        throw new IOException(
            file + " is not a NumPy .npz archive (not a zip file; it looks like a single .npy array)");
      }
      throw new IOException(file + " is not a NumPy .npz archive (not a zip file)");
    }
  }

  /** An exception's message, or its class name when it has none. */
  private static String describe(Exception e) {
    String m = e.getMessage();
    return m == null || m.isBlank() ? e.getClass().getSimpleName() : m;
  }

  private static byte[] readEntry(ZipFile zip, ZipEntry entry, String key, String file)
      throws IOException {
    if (entry.getSize() > Integer.MAX_VALUE - 64) {
      throw new IOException(
          "entry '" + key + "' in " + file + " is too large (" + entry.getSize() + " bytes)");
    }
    byte[] bytes;
    try (InputStream in = zip.getInputStream(entry)) {
      bytes = in.readAllBytes();
    } catch (IOException | RuntimeException e) {
      throw new IOException(
          "entry '" + key + "' in " + file + " is truncated or corrupt (" + describe(e) + ")", e);
    }
    if (entry.getSize() >= 0 && bytes.length != entry.getSize()) {
      throw new IOException(
          "entry '" + key + "' in " + file + " is truncated or corrupt: the zip directory says "
              + entry.getSize() + " bytes, found " + bytes.length);
    }
    if (entry.getCrc() != -1) {
      CRC32 crc = new CRC32();
      crc.update(bytes);
      if (crc.getValue() != entry.getCrc()) {
        throw new IOException(
            "entry '" + key + "' in " + file + " is corrupt (its CRC-32 checksum does not match)");
      }
    }
    return bytes;
  }

  /** Parses one {@code .npy} array. */
  static INDArray parseNpy(byte[] bytes, String key, String file) throws IOException {
    String where = "entry '" + key + "' in " + file;
    if (bytes.length < NPY_MAGIC.length + 2
        || !Arrays.equals(Arrays.copyOf(bytes, NPY_MAGIC.length), NPY_MAGIC)) {
      throw new IOException(where + " is not a .npy array (bad magic string)");
    }
    int major = bytes[6] & 0xff;
    int minor = bytes[7] & 0xff;
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
    int start = 8 + lengthBytes;
    if (bytes.length < start) {
      throw new IOException(where + " has a truncated .npy header");
    }
    ByteBuffer le = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    long headerLength =
        lengthBytes == 2 ? (le.getShort(8) & 0xffffL) : (le.getInt(8) & 0xffffffffL);
    if (start + headerLength > bytes.length) {
      throw new IOException(
          where + " has a truncated .npy header (" + headerLength + " bytes announced, "
              + (bytes.length - start) + " present)");
    }
    String header =
        new String(
            bytes,
            start,
            (int) headerLength,
            major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    Header h = Header.parse(header, where);
    int dataStart = start + (int) headerLength;

    long count = 1;
    for (long d : h.shape) {
      count = multiply(count, d, where);
    }
    long needed = multiply(count, h.type.size, where);
    if (needed > Integer.MAX_VALUE - 64L || count > Integer.MAX_VALUE - 64L) {
      throw new IOException(
          where + " is too large to read: shape " + Arrays.toString(h.shape) + " " + h.type.numpy);
    }
    long found = (long) bytes.length - dataStart;
    if (found < needed) {
      throw new IOException(
          where + " is truncated: shape " + Arrays.toString(h.shape) + " " + h.type.numpy
              + " needs " + needed + " bytes, found " + found);
    }
    ByteBuffer data =
        ByteBuffer.wrap(bytes, dataStart, (int) needed).slice().order(h.order);
    long[] shape = h.shape.clone();
    if (h.fortranOrder) {
      reverse(shape);
    }
    try {
      INDArray array = h.type.decode(data, (int) count, shape);
      if (h.fortranOrder && shape.length > 1) {
        int[] axes = new int[shape.length];
        for (int i = 0; i < axes.length; i++) {
          axes[i] = axes.length - 1 - i;
        }
        array = array.permute(axes).dup('c');
      }
      return array;
    } catch (RuntimeException e) {
      throw new IOException(
          where + " (shape " + Arrays.toString(h.shape) + " " + h.type.numpy
              + ") cannot be made an ND4J array: " + describe(e), e);
    }
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

  /** The element types this class reads, with their NumPy names and sizes. */
  private enum ReadType {
    F2("float16", 2),
    F4("float32", 4),
    F8("float64", 8),
    I1("int8", 1),
    I2("int16", 2),
    I4("int32", 4),
    I8("int64", 8),
    U1("uint8", 1),
    U2("uint16", 2),
    U4("uint32", 4),
    U8("uint64", 8),
    B1("bool", 1);

    final String numpy;
    final int size;

    ReadType(String numpy, int size) {
      this.numpy = numpy;
      this.size = size;
    }

    static ReadType of(char kind, int size) {
      for (ReadType t : values()) {
        if (t.name().charAt(0) == Character.toUpperCase(kind) && t.size == size) {
          return t;
        }
      }
      return null;
    }

    INDArray decode(ByteBuffer data, int n, long[] shape) {
      switch (this) {
        case F2: {
          float[] v = new float[n];
          for (int i = 0; i < n; i++) {
            v[i] = halfToFloat(data.getShort(i * 2) & 0xffff);
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
  }

  /** The parsed {@code .npy} header dictionary. */
  private static final class Header {
    final ReadType type;
    final ByteOrder order;
    final boolean fortranOrder;
    final long[] shape;

    private Header(ReadType type, ByteOrder order, boolean fortranOrder, long[] shape) {
      this.type = type;
      this.order = order;
      this.fortranOrder = fortranOrder;
      this.shape = shape;
    }

    static Header parse(String text, String where) throws IOException {
      Object parsed;
      try {
        PyLiteral p = new PyLiteral(text);
        parsed = p.value();
        p.end();
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
                + ", which is not supported (supported: " + SUPPORTED + ")");
      }
      String d = (String) descr;
      ByteOrder order;
      ReadType type = null;
      if (d.length() >= 3 && "<>|=".indexOf(d.charAt(0)) >= 0) {
        order =
            d.charAt(0) == '>'
                ? ByteOrder.BIG_ENDIAN
                : d.charAt(0) == '=' ? ByteOrder.nativeOrder() : ByteOrder.LITTLE_ENDIAN;
        try {
          type = ReadType.of(d.charAt(1), Integer.parseInt(d.substring(2)));
        } catch (NumberFormatException e) {
          type = null;
        }
      } else {
        order = ByteOrder.LITTLE_ENDIAN;
      }
      if (type == null) {
        throw new IOException(
            where + " has dtype '" + d + "', which is not supported (supported: " + SUPPORTED + ")");
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
      for (int i = 0; i < s.length; i++) {
        Object dim = dims.get(i);
        if (!(dim instanceof Long) || (Long) dim < 0) {
          throw new IOException(
              where + " has a bad .npy header ('shape' holds " + dim + "): " + abbreviate(text));
        }
        s[i] = (Long) dim;
      }
      return new Header(type, order, (Boolean) fortran, s);
    }

    private static String abbreviate(String s) {
      String t = s.strip();
      return t.length() <= 200 ? t : t.substring(0, 200) + "...";
    }
  }

  /**
   * A parser for the Python literals of a {@code .npy} header: dicts, tuples, lists, strings,
   * integers, {@code True}, {@code False} and {@code None}. Tuples and lists become {@link List}s,
   * integers {@link Long}s. Errors are {@link IllegalStateException}s.
   */
  private static final class PyLiteral {
    private final String s;
    private int i;

    PyLiteral(String s) {
      this.s = s;
    }

    void end() {
      skip();
      if (i != s.length()) {
        throw new IllegalStateException("unexpected '" + s.charAt(i) + "' at offset " + i);
      }
    }

    Object value() {
      skip();
      if (i >= s.length()) {
        throw new IllegalStateException("unexpected end");
      }
      char c = s.charAt(i);
      switch (c) {
        case '{':
          return dict();
        case '(':
          return sequence(')');
        case '[':
          return sequence(']');
        case '\'':
        case '"':
          return string();
        default:
          if (c == '-' || c == '+' || Character.isDigit(c)) {
            return integer();
          }
          if (s.startsWith("True", i)) {
            i += 4;
            return Boolean.TRUE;
          }
          if (s.startsWith("False", i)) {
            i += 5;
            return Boolean.FALSE;
          }
          if (s.startsWith("None", i)) {
            i += 4;
            return "None";
          }
          throw new IllegalStateException("unexpected '" + c + "' at offset " + i);
      }
    }

    private Map<Object, Object> dict() {
      Map<Object, Object> out = new LinkedHashMap<>();
      i++;
      while (true) {
        skip();
        if (peek() == '}') {
          i++;
          return out;
        }
        Object key = value();
        skip();
        expect(':');
        Object val = value();
        out.put(key, val);
        skip();
        if (peek() == ',') {
          i++;
        } else if (peek() != '}') {
          throw new IllegalStateException("expected ',' or '}' at offset " + i);
        }
      }
    }

    private List<Object> sequence(char close) {
      List<Object> out = new ArrayList<>();
      i++;
      while (true) {
        skip();
        if (peek() == close) {
          i++;
          return out;
        }
        out.add(value());
        skip();
        if (peek() == ',') {
          i++;
        } else if (peek() != close) {
          throw new IllegalStateException("expected ',' or '" + close + "' at offset " + i);
        }
      }
    }

    private String string() {
      char quote = s.charAt(i++);
      StringBuilder b = new StringBuilder();
      while (true) {
        if (i >= s.length()) {
          throw new IllegalStateException("unterminated string");
        }
        char c = s.charAt(i++);
        if (c == quote) {
          return b.toString();
        }
        if (c == '\\') {
          if (i >= s.length()) {
            throw new IllegalStateException("unterminated string");
          }
          c = s.charAt(i++);
        }
        b.append(c);
      }
    }

    private Long integer() {
      int start = i;
      if (s.charAt(i) == '-' || s.charAt(i) == '+') {
        i++;
      }
      while (i < s.length() && Character.isDigit(s.charAt(i))) {
        i++;
      }
      String digits = s.substring(start, i);
      if (i < s.length() && (s.charAt(i) == 'L' || s.charAt(i) == 'l')) {
        i++; // Python 2 long suffix
      }
      try {
        return Long.parseLong(digits.startsWith("+") ? digits.substring(1) : digits);
      } catch (NumberFormatException e) {
        throw new IllegalStateException("bad integer '" + digits + "'", e);
      }
    }

    private void expect(char c) {
      if (peek() != c) {
        throw new IllegalStateException("expected '" + c + "' at offset " + i);
      }
      i++;
    }

    private char peek() {
      if (i >= s.length()) {
        throw new IllegalStateException("unexpected end");
      }
      return s.charAt(i);
    }

    private void skip() {
      while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
        i++;
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // writing

  /** The element types this class writes. */
  private enum WriteType {
    F2("<f2", 2, DataType.FLOAT16),
    F4("<f4", 4, DataType.FLOAT),
    F8("<f8", 8, DataType.DOUBLE),
    I1("|i1", 1, DataType.INT8),
    I2("<i2", 2, DataType.INT16),
    I4("<i4", 4, DataType.INT32),
    I8("<i8", 8, DataType.INT64),
    U1("|u1", 1, DataType.UINT8),
    U2("<u2", 2, DataType.UINT16),
    U4("<u4", 4, DataType.UINT32),
    U8("<u8", 8, DataType.UINT64),
    B1("|b1", 1, DataType.BOOL);

    final String descr;
    final int size;
    final DataType dataType;

    WriteType(String descr, int size, DataType dataType) {
      this.descr = descr;
      this.size = size;
      this.dataType = dataType;
    }

    static WriteType of(DataType t, String key) {
      for (WriteType w : values()) {
        if (w.dataType == t) {
          return w;
        }
      }
      throw new IllegalArgumentException(
          "array '" + key + "' has data type " + t + ", which has no .npy equivalent here;"
              + " cast it to FLOAT, DOUBLE, LONG or INT first");
    }
  }

  /** Encodes one array as a {@code .npy} file, format 1.0 (2.0 if the header is too long). */
  static byte[] toNpy(INDArray array, String key) {
    WriteType type = WriteType.of(array.dataType(), key);
    long[] shape = array.shape();
    long n = array.length();
    byte[] header = header(type.descr, shape);
    long total = header.length + n * type.size;
    if (total > Integer.MAX_VALUE - 64L) {
      throw new IllegalArgumentException(
          "array '" + key + "' is too large to write (" + total + " bytes)");
    }
    ByteBuffer out = ByteBuffer.allocate((int) total).order(ByteOrder.LITTLE_ENDIAN);
    out.put(header);
    if (n > 0) {
      INDArray c = contiguous(array);
      ByteBuffer data = out.slice().order(ByteOrder.LITTLE_ENDIAN);
      int len = (int) n;
      switch (type) {
        case F2: {
          float[] v = c.castTo(DataType.FLOAT).data().asFloat();
          for (int i = 0; i < len; i++) {
            data.putShort(i * 2, floatToHalf(v[i]));
          }
          break;
        }
        case F4:
          data.asFloatBuffer().put(c.data().asFloat(), 0, len);
          break;
        case F8:
          data.asDoubleBuffer().put(c.data().asDouble(), 0, len);
          break;
        case I8:
        case U8:
          data.asLongBuffer().put(c.data().asLong(), 0, len);
          break;
        case U4: {
          long[] v = c.data().asLong();
          for (int i = 0; i < len; i++) {
            data.putInt(i * 4, (int) v[i]);
          }
          break;
        }
        case I4:
          data.asIntBuffer().put(c.data().asInt(), 0, len);
          break;
        case I2:
        case U2: {
          int[] v = c.data().asInt();
          for (int i = 0; i < len; i++) {
            data.putShort(i * 2, (short) v[i]);
          }
          break;
        }
        case I1:
        case U1:
        case B1: {
          int[] v = c.data().asInt();
          for (int i = 0; i < len; i++) {
            data.put(i, (byte) (type == WriteType.B1 ? (v[i] != 0 ? 1 : 0) : v[i]));
          }
          break;
        }
        default:
          throw new AssertionError(type);
      }
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
    b.put(NPY_MAGIC).put((byte) major).put((byte) 0);
    if (major == 1) {
      b.putShort((short) text.length);
    } else {
      b.putInt(text.length);
    }
    b.put(text);
    return b.array();
  }

  // ---------------------------------------------------------------------------------------------
  // IEEE 754 half precision

  /** The float value of IEEE 754 binary16 bits. */
  static float halfToFloat(int h) {
    int sign = (h & 0x8000) << 16;
    int exp = (h >>> 10) & 0x1f;
    int mant = h & 0x3ff;
    if (exp == 0) {
      float v = mant * 0x1p-24f;
      return sign != 0 ? -v : v;
    }
    if (exp == 0x1f) {
      return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
    }
    return Float.intBitsToFloat(sign | ((exp - 15 + 127) << 23) | (mant << 13));
  }

  /** The IEEE 754 binary16 bits nearest to a float (round half to even). */
  static short floatToHalf(float f) {
    int bits = Float.floatToRawIntBits(f);
    int sign = (bits >>> 16) & 0x8000;
    int exp = (bits >>> 23) & 0xff;
    int mant = bits & 0x7fffff;
    if (exp == 0xff) {
      return (short) (sign | 0x7c00 | (mant != 0 ? 0x200 | (mant >>> 13) : 0));
    }
    int e = exp - 127 + 15;
    if (e >= 0x1f) {
      return (short) (sign | 0x7c00);
    }
    if (e <= 0) {
      if (e < -10) {
        return (short) sign;
      }
      int m = mant | 0x800000;
      int shift = 14 - e;
      int half = m >>> shift;
      int rem = m & ((1 << shift) - 1);
      int halfway = 1 << (shift - 1);
      if (rem > halfway || (rem == halfway && (half & 1) != 0)) {
        half++;
      }
      return (short) (sign | half);
    }
    int half = (e << 10) | (mant >>> 13);
    int rem = mant & 0x1fff;
    if (rem > 0x1000 || (rem == 0x1000 && (half & 1) != 0)) {
      half++;
    }
    return (short) (sign | half);
  }
}
