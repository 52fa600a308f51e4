package dev.unroll.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Weight files are untrusted input: whatever is done to a valid {@code .npz} (cut short, bits flipped,
 * headers edited, entries duplicated, sizes in the zip directory inflated), {@link Npz#read} and {@link
 * Npz#importFile} end normally or with an {@link IOException} naming the file, or (import only)
 * an {@link IllegalArgumentException} listing what does not fit; never another exception or error
 * ({@code OutOfMemoryError}, {@code NegativeArraySizeException}, {@code ArithmeticException},
 * {@code StackOverflowError}, ...).
 */
class UntrustedNpzTest {

  private static Path dir;
  private static List<byte[]> valid;

  @BeforeContainer
  static void files() throws IOException {
    dir = Files.createTempDirectory("untrusted-npz");
    Map<String, INDArray> arrays = new LinkedHashMap<>();
    arrays.put("fc.weight", Nd4j.linspace(-1, 1, 12, DataType.FLOAT).reshape(3, 4));
    arrays.put("fc.bias", Nd4j.createFromArray(0.5f, -0.5f, 2f));
    arrays.put("rnn.weight_ih_l0", Nd4j.rand(DataType.DOUBLE, 8, 2));
    arrays.put("x", Nd4j.createFromArray(new long[][] {{1, 2}, {3, 4}}));
    arrays.put("loss", Nd4j.scalar(0.25));
    Path ours = dir.resolve("ours.npz");
    Npz.write(ours, arrays);
    valid =
        List.of(
            Files.readAllBytes(ours),
            deflated(arrays),
            Files.readAllBytes(NpzTest.resource("numpy_compressed.npz")),
            Files.readAllBytes(NpzTest.resource("numpy_types.npz")),
            Files.readAllBytes(NpzTest.resource("npy_versions.npz")));
  }

  @AfterContainer
  static void cleanUp() throws IOException {
    try (var files = Files.list(dir)) {
      for (Path f : files.toList()) {
        Files.delete(f);
      }
    }
    Files.delete(dir);
  }

  /** The arrays as {@code numpy.savez_compressed} would store them: deflated entries. */
  private static byte[] deflated(Map<String, INDArray> arrays) throws IOException {
    Path tmp = dir.resolve("tmp.npz");
    Map<String, byte[]> entries = new LinkedHashMap<>();
    for (Map.Entry<String, INDArray> e : arrays.entrySet()) {
      Npz.write(tmp, Map.of(e.getKey(), e.getValue()));
      try (ZipFile z = new ZipFile(tmp.toFile())) {
        entries.put(e.getKey() + ".npy", z.getInputStream(z.entries().nextElement()).readAllBytes());
      }
    }
    Files.delete(tmp);
    return zip(entries, true);
  }

  // ---------------------------------------------------------------------------------------------
  // mutations of valid files

  @Property(tries = 250)
  void truncatedFiles(@ForAll @IntRange(max = 4) int which, @ForAll @IntRange(max = 1 << 20) int cut)
      throws IOException {
    byte[] whole = valid.get(which);
    byte[] b = Arrays.copyOf(whole, cut % whole.length);
    assertOnlyExpectedFailures(b);
  }

  @Property(tries = 400)
  void flippedBits(
      @ForAll @IntRange(max = 4) int which,
      @ForAll("positions") List<Integer> positions,
      @ForAll @IntRange(min = 1, max = 255) int mask)
      throws IOException {
    byte[] b = valid.get(which).clone();
    for (int p : positions) {
      b[p % b.length] ^= (byte) mask;
    }
    assertOnlyExpectedFailures(b);
  }

  @Provide
  Arbitrary<List<Integer>> positions() {
    return Arbitraries.integers().between(0, 1 << 20).list().ofMinSize(1).ofMaxSize(6);
  }

  /** Sizes, offsets and counts in the zip directory replaced by large or negative-looking values. */
  @Property(tries = 300)
  void oversizedDirectoryFields(
      @ForAll @IntRange(max = 4) int which,
      @ForAll @IntRange(max = 1000) int record,
      @ForAll("directoryFields") int field,
      @ForAll("largeValues") long value)
      throws IOException {
    byte[] b = valid.get(which).clone();
    List<Integer> records = signatures(b, 0x02014b50);
    records.addAll(signatures(b, 0x06054b50));
    int at = records.get(record % records.size()) + field;
    if (at + 4 <= b.length) {
      ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(at, (int) value);
    }
    assertOnlyExpectedFailures(b);
  }

  @Provide
  Arbitrary<Integer> directoryFields() {
    // central record: crc 16, sizes 20 and 24, name/extra lengths 28, local offset 42;
    // end record: counts 8, directory size 12 and offset 16
    return Arbitraries.of(8, 10, 12, 16, 20, 24, 28, 30, 42);
  }

  @Provide
  Arbitrary<Long> largeValues() {
    return Arbitraries.of(
        0xffffffffL, 0x7fffffffL, 0x80000000L, 0x10000L, 0xffffL, 1L << 30, 0L, 1L, 100_000L);
  }

  /** Two entries of the same key: same zip name, or {@code a} next to {@code a.npy}. */
  @Property(tries = 20)
  void duplicateEntries(@ForAll boolean sameZipName, @ForAll boolean deflate) throws IOException {
    byte[] npy = NpzTest.npy("{'descr': '<f4', 'fortran_order': False, 'shape': (2,), }", new byte[8]);
    Map<String, byte[]> entries = new LinkedHashMap<>();
    entries.put("fc.weight.npy", npy);
    entries.put(sameZipName ? "fc.weighu.npy" : "fc.weight", npy);
    byte[] b = zip(entries, deflate);
    if (sameZipName) {
      replaceAll(b, "fc.weighu.npy", "fc.weight.npy");
    }
    Path file = write(b);
    IOException e = expectIOException(() -> Npz.read(file));
    assertTrue(e.getMessage().contains("'fc.weight") && e.getMessage().contains("twice"), e.getMessage());
    expectIOException(() -> Npz.importFile(parameters(), file));
  }

  /** Valid zip files whose {@code .npy} headers are generated: odd types, shapes, nesting. */
  @Property(tries = 400)
  void editedHeaders(
      @ForAll("headers") String header,
      @ForAll @IntRange(max = 300) int dataBytes,
      @ForAll boolean deflate,
      @ForAll boolean asParameter)
      throws IOException {
    byte[] npy = NpzTest.npy(header, new byte[dataBytes]);
    assertOnlyExpectedFailures(
        zip(Map.of((asParameter ? "fc.weight" : "fc.other") + ".npy", npy), deflate));
  }

  @Provide
  Arbitrary<String> headers() {
    Arbitrary<String> descr =
        Arbitraries.of("'<f4'", "'<f8'", "'|b1'", "'>i8'", "'<u4'", "'<f2'", "'<c16'", "'<f3'",
            "'|V8'", "[('a', '<f4')]", "'<f'", "''", "'<f4444444444'", "None", "1", "'O'");
    Arbitrary<String> dim =
        Arbitraries.oneOf(
            Arbitraries.longs().between(0, 4).map(String::valueOf),
            Arbitraries.of("-1", "2147483647", "4611686018427387904", "9223372036854775807",
                "99999999999999999999", "1.5", "'a'", "()", "True", "+3", "-0"));
    Arbitrary<String> shape =
        dim.list().ofMaxSize(40).map(l -> "(" + String.join(", ", l) + (l.size() == 1 ? ",)" : ")"));
    Arbitrary<String> fortran = Arbitraries.of("False", "True", "0", "'no'");
    Arbitrary<String> dict =
        Combinators.combine(descr, fortran, shape)
            .as((d, f, s) -> "{'descr': " + d + ", 'fortran_order': " + f + ", 'shape': " + s + ", }");
    Arbitrary<String> deep =
        Arbitraries.integers().between(1, 30000)
            .map(n -> "{'descr': '<f4', 'fortran_order': False, 'shape': " + "(".repeat(n)
                + ")".repeat(n) + "}");
    Arbitrary<String> broken =
        dict.flatMap(d -> Arbitraries.integers().between(0, d.length()).map(n -> d.substring(0, n)));
    return Arbitraries.frequencyOf(
        Tuple.of(6, dict), Tuple.of(1, deep), Tuple.of(2, broken));
  }

  // ---------------------------------------------------------------------------------------------

  @Property(tries = 5)
  void unmutatedFilesRead(@ForAll @IntRange(max = 4) int which) throws IOException {
    Path file = write(valid.get(which));
    assertTrue(!Npz.read(file).isEmpty());
  }

  /** The model the imports fill: the parameters of the first two valid files (ours, deflated). */
  private static Map<String, INDArray> parameters() {
    Map<String, INDArray> p = new LinkedHashMap<>();
    p.put("fc.weight", Nd4j.zeros(DataType.FLOAT, 3, 4));
    p.put("fc.bias", Nd4j.zeros(DataType.FLOAT, 3));
    return p;
  }

  /** A zip archive of the entries, stored or deflated. */
  static byte[] zip(Map<String, byte[]> entries, boolean deflate) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      for (Map.Entry<String, byte[]> e : entries.entrySet()) {
        ZipEntry entry = new ZipEntry(e.getKey());
        if (!deflate) {
          CRC32 crc = new CRC32();
          crc.update(e.getValue());
          entry.setMethod(ZipEntry.STORED);
          entry.setSize(e.getValue().length);
          entry.setCrc(crc.getValue());
        }
        zip.putNextEntry(entry);
        zip.write(e.getValue());
        zip.closeEntry();
      }
    }
    return bytes.toByteArray();
  }

  private static Path write(byte[] b) throws IOException {
    Path file = dir.resolve("mutated.npz");
    Files.write(file, b);
    return file;
  }

  /** Reads and imports: each succeeds, or fails with an IOException naming the file (or an IAE). */
  private static void assertOnlyExpectedFailures(byte[] b) throws IOException {
    Path file = write(b);
    try {
      Npz.read(file);
    } catch (IOException e) {
      assertTrue(e.getMessage() != null && e.getMessage().contains(file.toString()), e.getMessage());
    } catch (Throwable t) {
      fail("Npz.read threw " + t, t);
    }
    Map<String, INDArray> params = parameters();
    try {
      Npz.importFile(params, file);
    } catch (IOException e) {
      assertTrue(e.getMessage() != null && e.getMessage().contains(file.toString()), e.getMessage());
    } catch (IllegalArgumentException e) {
      assertTrue(e.getMessage().startsWith(file + " does not fit"), e.getMessage());
      assertEquals(0.0, params.get("fc.weight").sumNumber().doubleValue(), "nothing was imported");
    } catch (Throwable t) {
      fail("Npz.importFile threw " + t, t);
    }
  }

  private interface Action {
    void run() throws IOException;
  }

  private static IOException expectIOException(Action a) {
    try {
      a.run();
    } catch (IOException e) {
      return e;
    } catch (Throwable t) {
      fail("threw " + t, t);
    }
    return fail("no exception");
  }

  private static List<Integer> signatures(byte[] b, int signature) {
    List<Integer> out = new ArrayList<>();
    ByteBuffer le = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i + 4 <= b.length; i++) {
      if (le.getInt(i) == signature) {
        out.add(i);
      }
    }
    return out;
  }

  private static void replaceAll(byte[] b, String from, String to) {
    byte[] f = from.getBytes(StandardCharsets.US_ASCII);
    byte[] t = to.getBytes(StandardCharsets.US_ASCII);
    for (int i = 0; i + f.length <= b.length; i++) {
      if (Arrays.equals(b, i, i + f.length, f, 0, f.length)) {
        System.arraycopy(t, 0, b, i, t.length);
      }
    }
  }
}
