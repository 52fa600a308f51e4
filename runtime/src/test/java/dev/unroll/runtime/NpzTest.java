package dev.unroll.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class NpzTest {

  @TempDir Path dir;

  static Path resource(String name) {
    try {
      return Paths.get(NpzTest.class.getResource("/npz/" + name).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // files written by numpy (see src/test/resources/npz/make_fixtures.py)

  @Test
  void readsEveryNumpyTypeInArchiveOrder() throws IOException {
    Map<String, INDArray> a = Npz.read(resource("numpy_types.npz"));
    assertEquals(
        List.of("f4", "f8", "i8", "i4", "i2", "i1", "u1", "u2", "b1", "f2", "scalar_f8",
            "scalar_i8", "fortran", "big_endian", "empty", "fc.weight"),
        new ArrayList<>(a.keySet()));

    INDArray f4 = a.get("f4");
    assertEquals(DataType.FLOAT, f4.dataType());
    assertArrayEquals(new long[] {2, 3}, f4.shape());
    assertArrayEquals(
        new float[] {-0.5f, -0.25f, 0f, 0.25f, 0.5f, 0.75f}, f4.dup('c').data().asFloat());

    INDArray f8 = a.get("f8");
    assertEquals(DataType.DOUBLE, f8.dataType());
    assertArrayEquals(new double[] {1.5, -2.25, 1e300, -0.0}, f8.data().asDouble());

    INDArray i8 = a.get("i8");
    assertEquals(DataType.INT64, i8.dataType());
    assertArrayEquals(new long[] {2, 2}, i8.shape());
    assertArrayEquals(new long[] {-(1L << 40), 1, 2, 1L << 62}, i8.data().asLong());

    assertEquals(DataType.INT32, a.get("i4").dataType());
    assertArrayEquals(new int[] {-7, 0, Integer.MAX_VALUE}, a.get("i4").data().asInt());
    assertEquals(DataType.INT16, a.get("i2").dataType());
    assertArrayEquals(new int[] {-300, 300}, a.get("i2").data().asInt());
    assertEquals(DataType.INT8, a.get("i1").dataType());
    assertArrayEquals(new int[] {-128, 127}, a.get("i1").data().asInt());
    assertEquals(DataType.UINT8, a.get("u1").dataType());
    assertArrayEquals(new long[] {0, 200, 255}, a.get("u1").data().asLong());
    assertEquals(DataType.UINT16, a.get("u2").dataType());
    assertArrayEquals(new long[] {65535, 1}, a.get("u2").data().asLong());

    INDArray b1 = a.get("b1");
    assertEquals(DataType.BOOL, b1.dataType());
    assertArrayEquals(new int[] {1, 0, 0, 1}, b1.data().asInt());

    INDArray f2 = a.get("f2");
    assertEquals(DataType.FLOAT16, f2.dataType());
    float[] halves = f2.castTo(DataType.FLOAT).data().asFloat();
    assertEquals(0.5f, halves[0]);
    assertEquals(-1.25f, halves[1]);
    assertEquals(65504f, halves[2]);
    assertEquals(5.9604645e-8f, halves[3]); // the smallest subnormal half

    INDArray s8 = a.get("scalar_f8");
    assertEquals(0, s8.rank());
    assertEquals(DataType.DOUBLE, s8.dataType());
    assertEquals(3.25, s8.getDouble(0));
    INDArray si = a.get("scalar_i8");
    assertEquals(0, si.rank());
    assertEquals(DataType.INT64, si.dataType());
    assertEquals(-42L, si.getLong(0));

    INDArray fortran = a.get("fortran");
    assertArrayEquals(new long[] {2, 3, 4}, fortran.shape());
    assertEquals('c', fortran.ordering());
    double[] expected = new double[24];
    for (int i = 0; i < 24; i++) {
      expected[i] = i;
    }
    assertArrayEquals(expected, fortran.dup('c').data().asDouble());
    assertEquals(1 * 12 + 2 * 4 + 3, fortran.getDouble(1, 2, 3));

    assertArrayEquals(
        new double[] {0, 1.5, 3, 4.5, 6}, a.get("big_endian").data().asDouble());

    INDArray empty = a.get("empty");
    assertArrayEquals(new long[] {0, 3}, empty.shape());
    assertEquals(0, empty.length());

    assertArrayEquals(new long[] {3, 16}, a.get("fc.weight").shape());
    assertEquals(47f, a.get("fc.weight").getFloat(2, 15));
  }

  @Test
  void readsDeflatedEntries() throws IOException {
    Map<String, INDArray> a = Npz.read(resource("numpy_compressed.npz"));
    assertEquals(List.of("a", "b"), new ArrayList<>(a.keySet()));
    assertArrayEquals(new long[] {3, 4}, a.get("a").shape());
    assertEquals(6.0, a.get("a").getDouble(2, 3));
    assertEquals(DataType.INT64, a.get("b").dataType());
    assertEquals(999L, a.get("b").getLong(999));
  }

  @Test
  void readsNpyFormatVersions1To3() throws IOException {
    Map<String, INDArray> a = Npz.read(resource("npy_versions.npz"));
    assertEquals(List.of("v1", "v2", "v3"), new ArrayList<>(a.keySet()));
    for (int v = 1; v <= 3; v++) {
      INDArray x = a.get("v" + v);
      assertArrayEquals(new long[] {3, 2}, x.shape());
      assertArrayEquals(
          new float[] {v, v + 1, v + 2, v + 3, v + 4, v + 5}, x.data().asFloat(), "v" + v);
    }
  }

  @Test
  void readsThePyTorchParityFile() throws IOException {
    Map<String, INDArray> a = Npz.read(resource("lstm_many_to_one.npz"));
    assertEquals("rnn.weight_ih_l0", a.keySet().iterator().next());
    assertArrayEquals(new long[] {64, 9}, a.get("rnn.weight_ih_l0").shape());
    assertArrayEquals(new long[] {64, 16}, a.get("rnn.weight_hh_l0").shape());
    assertArrayEquals(new long[] {64}, a.get("rnn.bias_ih_l0").shape());
    assertArrayEquals(new long[] {3, 16}, a.get("fc.weight").shape());
    assertArrayEquals(new long[] {4, 7, 9}, a.get("x").shape());
    assertArrayEquals(new long[] {1}, a.get("loss").shape());
    assertEquals(DataType.DOUBLE, a.get("loss").dataType());
    assertEquals(DataType.INT64, a.get("y").dataType());
    assertArrayEquals(new long[] {4}, a.get("y").shape());
    for (long y : a.get("y").data().asLong()) {
      assertTrue(y >= 0 && y < 3, "class id " + y);
    }
    assertEquals(16, a.size());
  }

  // ---------------------------------------------------------------------------------------------
  // writing

  @Test
  void roundTripsRanks0To3AndViews() throws IOException {
    INDArray cube = Nd4j.arange(24).castTo(DataType.DOUBLE).reshape(2, 3, 4).subi(7.5);
    INDArray view = cube.get(NDArrayIndex.all(), NDArrayIndex.interval(1, 3), NDArrayIndex.point(2));
    Map<String, INDArray> out = new LinkedHashMap<>();
    out.put("scalar.double", Nd4j.scalar(-2.5));
    out.put("scalar.float", Nd4j.scalar(0.125f));
    out.put("scalar.long", Nd4j.scalar(-9L));
    out.put("vector.long", Nd4j.createFromArray(Long.MIN_VALUE, 0L, Long.MAX_VALUE));
    out.put("matrix.float", Nd4j.createFromArray(new float[][] {{1.5f, -2f, 3f}, {4f, 5f, -6.25f}}));
    out.put("matrix.int", Nd4j.createFromArray(new int[][] {{1, -2}, {3, Integer.MIN_VALUE}}));
    out.put("cube.double", cube);
    out.put("view", view);
    out.put("transposed", cube.get(NDArrayIndex.point(1)).transpose());
    out.put("fortran", Nd4j.create(new double[] {1, 2, 3, 4, 5, 6}, new long[] {2, 3}, 'f'));
    out.put("bool", Nd4j.create(new boolean[] {true, false, true}, new long[] {3}, DataType.BOOL));
    out.put("half", Nd4j.createFromArray(0.5f, -1.25f, 65504f).castTo(DataType.FLOAT16));
    out.put("empty", Nd4j.create(DataType.FLOAT, 0, 3));
    Path file = dir.resolve("round.npz");
    Npz.write(file, out);

    Map<String, INDArray> in = Npz.read(file);
    assertEquals(new ArrayList<>(out.keySet()), new ArrayList<>(in.keySet()));
    for (String key : out.keySet()) {
      INDArray expected = out.get(key);
      INDArray actual = in.get(key);
      assertEquals(expected.dataType(), actual.dataType(), key);
      assertArrayEquals(expected.shape(), actual.shape(), key);
      assertEquals(expected, actual, key);
    }
    assertEquals(0, in.get("scalar.double").rank());
    assertEquals(-2.5, in.get("scalar.double").getDouble(0));
    assertArrayEquals(new double[] {-1.5, 2.5, 10.5, 14.5}, in.get("view").data().asDouble());
    assertEquals(11.5, in.get("transposed").getDouble(3, 1)); // cube[1, 1, 3] - 7.5
    assertArrayEquals(new double[] {1, 3, 5, 2, 4, 6}, in.get("fortran").data().asDouble());
    assertArrayEquals(
        new long[] {Long.MIN_VALUE, 0, Long.MAX_VALUE}, in.get("vector.long").data().asLong());
  }

  @Test
  void writesNpyHeadersThatNumpyAccepts() throws IOException {
    Map<String, INDArray> out = new LinkedHashMap<>();
    out.put("fc.weight", Nd4j.rand(DataType.FLOAT, 3, 16));
    out.put("d", Nd4j.zeros(DataType.DOUBLE, 5));
    out.put("l", Nd4j.scalar(4L));
    out.put("i", Nd4j.zeros(DataType.INT32, 2, 3, 4));
    Path file = dir.resolve("format.npz");
    Npz.write(file, out);

    Map<String, String> expected = new LinkedHashMap<>();
    expected.put("fc.weight.npy", "{'descr': '<f4', 'fortran_order': False, 'shape': (3, 16), }");
    expected.put("d.npy", "{'descr': '<f8', 'fortran_order': False, 'shape': (5,), }");
    expected.put("l.npy", "{'descr': '<i8', 'fortran_order': False, 'shape': (), }");
    expected.put("i.npy", "{'descr': '<i4', 'fortran_order': False, 'shape': (2, 3, 4), }");
    long[] dataBytes = {3 * 16 * 4, 5 * 8, 8, 24 * 4};
    try (ZipFile zip = new ZipFile(file.toFile())) {
      List<String> names = new ArrayList<>();
      zip.stream().forEach(e -> names.add(e.getName()));
      assertEquals(new ArrayList<>(expected.keySet()), names);
      int k = 0;
      for (Map.Entry<String, String> e : expected.entrySet()) {
        ZipEntry entry = zip.getEntry(e.getKey());
        assertEquals(ZipEntry.STORED, entry.getMethod());
        byte[] npy;
        try (InputStream in = zip.getInputStream(entry)) {
          npy = in.readAllBytes();
        }
        assertEquals((byte) 0x93, npy[0]);
        assertEquals("NUMPY", new String(npy, 1, 5, StandardCharsets.US_ASCII));
        assertEquals(1, npy[6]);
        assertEquals(0, npy[7]);
        int headerLength = ByteBuffer.wrap(npy, 8, 2).order(ByteOrder.LITTLE_ENDIAN).getShort();
        int dataStart = 10 + headerLength;
        assertEquals(0, dataStart % 64, e.getKey());
        String header = new String(npy, 10, headerLength, StandardCharsets.ISO_8859_1);
        assertTrue(header.endsWith("\n"), header);
        assertEquals(e.getValue(), header.strip());
        assertEquals(dataBytes[k++], npy.length - dataStart, e.getKey());
      }
    }
    INDArray w = Npz.read(file).get("fc.weight");
    assertEquals(out.get("fc.weight"), w);
  }

  @Test
  void writeReplacesAnExistingFileAndLeavesNoTemporaryFile() throws IOException {
    Path file = dir.resolve("w.npz");
    Files.writeString(file, "old contents");
    Npz.write(file, Map.of("a", Nd4j.createFromArray(1.0, 2.0)));
    assertEquals(Nd4j.createFromArray(1.0, 2.0), Npz.read(file).get("a"));
    Npz.write(file, Map.of("b", Nd4j.createFromArray(3L)));
    Map<String, INDArray> again = Npz.read(file);
    assertEquals(List.of("b"), new ArrayList<>(again.keySet()));
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(file), files.toList());
    }
  }

  @Test
  void writeRejectsUnsupportedTypesBeforeTouchingTheFile() throws IOException {
    Path file = dir.resolve("x.npz");
    Files.writeString(file, "keep me");
    Map<String, INDArray> out = new LinkedHashMap<>();
    out.put("ok", Nd4j.zeros(DataType.FLOAT, 2));
    out.put("bf", Nd4j.zeros(DataType.BFLOAT16, 2));
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Npz.write(file, out));
    assertTrue(e.getMessage().contains("'bf'") && e.getMessage().contains("BFLOAT16"), e.getMessage());
    assertEquals("keep me", Files.readString(file));
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(1, files.count());
    }
  }

  // ---------------------------------------------------------------------------------------------
  // errors

  @Test
  void missingFile() {
    Path file = dir.resolve("weights.npz");
    NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> Npz.read(file));
    assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
  }

  @Test
  void notAZipFile() throws IOException {
    Path file = dir.resolve("weights.npz");
    Files.writeString(file, "this is not a zip archive, just text\n");
    IOException e = assertThrows(IOException.class, () -> Npz.read(file));
    assertEquals(file + " is not a NumPy .npz archive (not a zip file)", e.getMessage());
  }

  @Test
  void emptyFile() throws IOException {
    Path file = dir.resolve("weights.npz");
    Files.write(file, new byte[0]);
    IOException e = assertThrows(IOException.class, () -> Npz.read(file));
    assertEquals(file + " is not a NumPy .npz archive (empty file)", e.getMessage());
  }

  @Test
  void aSingleNpyFileIsNotAnNpz() throws IOException {
    Path file = dir.resolve("weights.npz");
    Files.write(file, npy("{'descr': '<f8', 'fortran_order': False, 'shape': (1,), }", new byte[8]));
    IOException e = assertThrows(IOException.class, () -> Npz.read(file));
    assertTrue(e.getMessage().contains("not a zip file"), e.getMessage());
    assertTrue(e.getMessage().contains(".npy"), e.getMessage());
  }

  @Test
  void truncatedArchive() throws IOException {
    byte[] whole = Files.readAllBytes(resource("numpy_types.npz"));
    Path file = dir.resolve("weights.npz");
    Files.write(file, Arrays.copyOf(whole, whole.length - 100));
    IOException e = assertThrows(IOException.class, () -> Npz.read(file));
    assertTrue(e.getMessage().startsWith(file + " is truncated or corrupt"), e.getMessage());
  }

  @Test
  void everyTruncationIsAnIOException() throws IOException {
    byte[] whole = Files.readAllBytes(resource("lstm_many_to_one.npz"));
    Path file = dir.resolve("cut.npz");
    for (int length = 0; length < whole.length; length += 97) {
      Files.write(file, Arrays.copyOf(whole, length));
      IOException e = assertThrows(IOException.class, () -> Npz.read(file), "length " + length);
      assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    }
  }

  @Test
  void everySingleByteCorruptionIsAnIOExceptionOrReadsCleanly() throws IOException {
    for (String fixture : List.of("npy_versions.npz", "numpy_compressed.npz")) {
      byte[] whole = Files.readAllBytes(resource(fixture));
      Path file = dir.resolve("flipped.npz");
      int failures = 0;
      for (int i = 0; i < whole.length; i++) {
        byte[] bad = whole.clone();
        bad[i] ^= 0x5a;
        Files.write(file, bad);
        try {
          Npz.read(file);
        } catch (IOException e) {
          failures++;
          String m = e.getMessage();
          assertTrue(m != null && m.contains(file.toString()), fixture + " byte " + i + ": " + m);
        }
      }
      assertTrue(failures > whole.length / 2, fixture + ": " + failures + " of " + whole.length);
    }
  }

  @Test
  void dataShorterThanTheShapeNeeds() throws IOException {
    Path file = dir.resolve("weights.npz");
    writeZip(
        file,
        "fc.weight.npy",
        npy("{'descr': '<f4', 'fortran_order': False, 'shape': (3, 16), }", new byte[100]));
    IOException e = assertThrows(IOException.class, () -> Npz.read(file));
    assertEquals(
        "entry 'fc.weight' in " + file
            + " is truncated: shape [3, 16] float32 needs 192 bytes, found 100",
        e.getMessage());
  }

  @Test
  void badNpyHeaders() throws IOException {
    assertNpyError(
        npy("{'descr': '<c16', 'fortran_order': False, 'shape': (1,), }", new byte[16]),
        "has dtype '<c16', which is not supported");
    assertNpyError(
        npy("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (1,), }", new byte[4]),
        "structured dtype");
    assertNpyError(
        npy("{'descr': '<f4', 'shape': (1,), }", new byte[4]),
        "needs 'descr', 'fortran_order' and 'shape'");
    assertNpyError(
        npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2, -1), }", new byte[4]),
        "'shape' holds -1");
    assertNpyError(npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1,", new byte[4]),
        "bad .npy header");
    assertNpyError(npy("[1, 2]", new byte[4]), "bad .npy header (not a dict)");
    assertNpyError("not numpy at all".getBytes(StandardCharsets.US_ASCII), "bad magic string");
    byte[] v4 = npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", new byte[4]);
    v4[6] = 4;
    assertNpyError(v4, "format version 4.0, which is not supported");
    byte[] longHeader = npy("{'descr': '<f4', 'fortran_order': False, 'shape': (1,), }", new byte[0]);
    longHeader[8] = (byte) 0xff; // announces a header longer than the entry
    assertNpyError(longHeader, "truncated .npy header");
    assertNpyError(Arrays.copyOf(longHeader, 9), "truncated .npy header");
    assertNpyError(
        npy("{'descr': '<f4', 'fortran_order': False, 'shape': (4611686018427387904, 4), }",
            new byte[4]),
        "too large");
  }

  private void assertNpyError(byte[] npy, String expected) throws IOException {
    Path file = dir.resolve("bad.npz");
    writeZip(file, "w.npy", npy);
    IOException e = assertThrows(IOException.class, () -> Npz.read(file));
    assertTrue(e.getMessage().startsWith("entry 'w' in " + file), e.getMessage());
    assertTrue(e.getMessage().contains(expected), e.getMessage());
  }

  // ---------------------------------------------------------------------------------------------
  // hand-made .npy and .npz bytes, following the format specification

  /** A version 1.0 .npy file with the given header dict (padded to 64 bytes) and data. */
  static byte[] npy(String dict, byte[] data) {
    int unpadded = 10 + dict.length() + 1;
    int padded = (unpadded + 63) / 64 * 64;
    String header = dict + " ".repeat(padded - unpadded) + "\n";
    ByteBuffer b = ByteBuffer.allocate(10 + header.length() + data.length)
        .order(ByteOrder.LITTLE_ENDIAN);
    b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
    b.putShort((short) header.length());
    b.put(header.getBytes(StandardCharsets.ISO_8859_1));
    b.put(data);
    return b.array();
  }

  static void writeZip(Path file, String name, byte[] content) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      zip.putNextEntry(new ZipEntry(name));
      zip.write(content);
      zip.closeEntry();
    }
    Files.write(file, bytes.toByteArray());
    assertFalse(bytes.size() == 0);
  }
}
