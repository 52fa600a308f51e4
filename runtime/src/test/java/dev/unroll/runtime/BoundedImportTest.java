package dev.unroll.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
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
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * {@link Npz#importFile} (behind every model's {@code importWeights}) reads only what the model
 * needs: the headers of entries under its module prefixes and the data of its parameters.
 */
class BoundedImportTest {

  @TempDir Path dir;

  private static final String F4 = "{'descr': '<f4', 'fortran_order': False, 'shape': (%s), }";

  private static Map<String, INDArray> model() {
    Map<String, INDArray> p = new LinkedHashMap<>();
    p.put("fc.weight", Nd4j.zeros(DataType.FLOAT, 3, 4));
    p.put("fc.bias", Nd4j.zeros(DataType.FLOAT, 3));
    return p;
  }

  /** The model's two entries, {@code fc.weight} = 1..12 and {@code fc.bias} = 1..3, as .npy bytes. */
  private static Map<String, byte[]> parameterEntries() {
    Map<String, byte[]> e = new LinkedHashMap<>();
    e.put("fc.weight.npy", NpzTest.npy(String.format(F4, "3, 4"), floats(1, 12)));
    e.put("fc.bias.npy", NpzTest.npy(String.format(F4, "3,"), floats(1, 3)));
    return e;
  }

  /** from, from + 1, ..., to as little-endian float32 bytes. */
  private static byte[] floats(int from, int to) {
    ByteBuffer b = ByteBuffer.allocate(4 * (to - from + 1)).order(ByteOrder.LITTLE_ENDIAN);
    for (int v = from; v <= to; v++) {
      b.putFloat(v);
    }
    return b.array();
  }

  /** An entry's data: eight bytes that {@link #corruptData} finds. */
  private static final byte[] MARK = {0x5a, 0x5a, 0x5a, 0x5a, 0x5a, 0x5a, 0x5a, 0x5a};

  @Test
  void entriesOutsideTheModelAreNeverRead() throws IOException {
    Map<String, byte[]> entries = parameterEntries();
    // data and CRC that do not match: reading it to its end fails
    entries.put("x.npy", NpzTest.npy(String.format(F4, "2,"), MARK));
    Path file = dir.resolve("w.npz");
    Files.write(file, UntrustedNpzTest.zip(entries, false));
    corruptData(file);

    IOException e = assertThrows(IOException.class, () -> Npz.read(file));
    assertTrue(e.getMessage().contains("'x.npy' in " + file) && e.getMessage().contains("CRC"),
        e.getMessage());

    Map<String, INDArray> params = model();
    Npz.importFile(params, file);
    assertEquals(Nd4j.linspace(1, 12, 12, DataType.FLOAT).reshape(3, 4), params.get("fc.weight"));
    assertEquals(Nd4j.linspace(1, 3, 3, DataType.FLOAT), params.get("fc.bias"));
  }

  @Test
  void unexpectedEntriesUnderTheModelsPrefixesAreReportedFromTheirHeaderAlone() throws IOException {
    Map<String, byte[]> entries = parameterEntries();
    entries.put("fc.extra.npy", NpzTest.npy(String.format(F4, "2,"), MARK));
    Path file = dir.resolve("w.npz");
    Files.write(file, UntrustedNpzTest.zip(entries, false));
    corruptData(file); // its data is never read, so its CRC never checked

    Map<String, INDArray> params = model();
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Npz.importFile(params, file));
    assertEquals(
        file + " does not fit the model's parameters (1 problem; nothing was imported):\n"
            + "  unexpected: fc.extra [2] is under module 'fc' but the model has no such parameter",
        e.getMessage());
    assertEquals(0.0, params.get("fc.weight").sumNumber().doubleValue());
  }

  @Test
  void aShapeLargerThanTheEntryIsRefusedBeforeAllocating() throws IOException {
    Map<String, byte[]> entries = parameterEntries();
    entries.put("fc.weight.npy", NpzTest.npy(String.format(F4, "100000000, 4"), new byte[48]));
    Path file = dir.resolve("w.npz");
    Files.write(file, UntrustedNpzTest.zip(entries, true));
    IOException e = assertThrows(IOException.class, () -> Npz.importFile(model(), file));
    assertEquals(
        "entry 'fc.weight' in " + file + " is truncated: shape [100000000, 4] float32 needs"
            + " 1600000000 bytes, found 48",
        e.getMessage());
  }

  @Test
  void aDeflatedEntryCannotDeclareMoreThanDeflateCanProduce() throws IOException {
    Map<String, byte[]> entries = parameterEntries();
    Path file = dir.resolve("w.npz");
    byte[] zip = UntrustedNpzTest.zip(entries, true);
    // the central directory's uncompressed size of the first entry: 4 GiB - 1
    int central = lastIndexOf(zip, new byte[] {0x50, 0x4b, 0x01, 0x02}, zip.length);
    central = lastIndexOf(zip, new byte[] {0x50, 0x4b, 0x01, 0x02}, central);
    for (int i = 0; i < 4; i++) {
      zip[central + 24 + i] = (byte) 0xfe;
    }
    Files.write(file, zip);
    IOException e = assertThrows(IOException.class, () -> Npz.importFile(model(), file));
    assertTrue(
        e.getMessage().startsWith("entry 'fc.weight.npy' in " + file + " is truncated or corrupt:"
            + " it declares 4278124286 bytes, more than its "),
        e.getMessage());
  }

  /**
   * A 1.4 MB file whose unrelated entry inflates to 1.5 GB imports in a 1 GB heap, in a JVM of its own;
   * the same entry under the model's prefix is reported from its header; reading the whole file is
   * refused with an IOException naming the entry.
   */
  @Test
  void aDecompressionBombImportsInAOneGigabyteHeap() throws Exception {
    long bytes = 1_500_000_000L;
    Path bomb = dir.resolve("bomb.npz");
    Path underPrefix = dir.resolve("bomb-fc.npz");
    writeBomb(bomb, "bigger", bytes);
    Files.copy(bomb, underPrefix);
    byte[] b = Files.readAllBytes(underPrefix);
    replaceAll(b, "bigger.npy", "fc.big.npy");
    Files.write(underPrefix, b);
    assertTrue(Files.size(bomb) < 1_500_000, "bomb of " + Files.size(bomb) + " bytes");
    // the JDK's own reader (which checks sizes and CRC-32) inflates the same bomb, scaled down to
    // 20 MB (+ an odd remainder) to save time, to its declared size
    Path small = dir.resolve("small-bomb.npz");
    writeBomb(small, "bigger", 20_000_004L);
    try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(small))) {
      ZipEntry e;
      long inflated = 0;
      while ((e = zip.getNextEntry()) != null) {
        long n = zip.transferTo(OutputStream.nullOutputStream());
        if (e.getName().equals("bigger.npy")) {
          inflated = n;
        }
      }
      assertEquals(128 + 20_000_004L, inflated);
    }

    List<String> out =
        runJava("-Xmx1g", BoundedImportMain.class.getName(), bomb.toString(), underPrefix.toString());
    assertEquals(
        List.of(
            "imported 78.0 6.0",
            "refused " + underPrefix + " does not fit the model's parameters (1 problem; nothing was"
                + " imported):|  unexpected: fc.big [375000000] is under module 'fc' but the model"
                + " has no such parameter"),
        out.subList(1, 3),
        String.join("\n", out));
    long heap = Long.parseLong(out.get(0).substring("maxMemory ".length()));
    assertTrue(heap <= 1L << 30, "heap " + heap);
    assertTrue(
        out.get(3).startsWith("read failed entry 'bigger' in " + bomb + " (shape [375000000] float32,"
            + " 1500000000 bytes) does not fit in memory"),
        out.get(3));
  }

  /**
   * Writes the model's entries (stored) and a deflated entry of a float32 vector of {@code dataBytes}
   * zero bytes. The zeros are deflated once per MiB with a full flush, which makes every MiB's
   * compressed bytes the same, so they are repeated rather than deflated 1430 times over.
   */
  private static void writeBomb(Path file, String name, long dataBytes) throws IOException {
    byte[] header = NpzTest.npy(String.format(F4, dataBytes / 4 + ","), new byte[0]);
    byte[] zeros = new byte[1 << 20];
    long chunks = dataBytes / zeros.length;
    int rest = (int) (dataBytes % zeros.length);
    byte[] chunk = deflateFlushed(zeros, zeros.length);
    CRC32 crc = new CRC32();
    crc.update(header);
    for (long i = 0; i < chunks; i++) {
      crc.update(zeros);
    }
    crc.update(zeros, 0, rest);
    try (OutputStream os = new BufferedOutputStream(Files.newOutputStream(file), 1 << 16)) {
      RawZip zip = new RawZip(os);
      for (Map.Entry<String, byte[]> e : parameterEntries().entrySet()) {
        CRC32 c = new CRC32();
        c.update(e.getValue());
        zip.entry(e.getKey(), 0, c.getValue(), e.getValue().length, e.getValue().length,
            out -> out.write(e.getValue()));
      }
      byte[] first = deflateFlushed(header, header.length);
      byte[] last = deflateFlushed(zeros, rest);
      byte[] end = {3, 0}; // an empty final block
      long compressed = first.length + chunks * chunk.length + last.length + end.length;
      zip.entry(name + ".npy", 8, crc.getValue(), compressed, header.length + dataBytes, out -> {
        out.write(first);
        for (long i = 0; i < chunks; i++) {
          out.write(chunk);
        }
        out.write(last);
        out.write(end);
      });
      zip.finish();
    }
  }

  /** Raw deflate of {@code data[0, n)} ended with a full flush (no final block). */
  private static byte[] deflateFlushed(byte[] data, int n) {
    Deflater d = new Deflater(Deflater.BEST_COMPRESSION, true);
    d.setInput(data, 0, n);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    byte[] buf = new byte[1 << 16];
    int k;
    do {
      k = d.deflate(buf, 0, buf.length, Deflater.FULL_FLUSH);
      out.write(buf, 0, k);
    } while (k == buf.length);
    d.end();
    return out.toByteArray();
  }

  /** A zip writer for entries whose compressed bytes the caller supplies. */
  private static final class RawZip {
    interface Data {
      void writeTo(OutputStream out) throws IOException;
    }

    private final OutputStream out;
    private final ByteBuffer directory = ByteBuffer.allocate(4096).order(ByteOrder.LITTLE_ENDIAN);
    private long offset;
    private int count;

    RawZip(OutputStream out) {
      this.out = out;
    }

    void entry(String name, int method, long crc, long compressed, long size, Data data)
        throws IOException {
      byte[] n = name.getBytes(StandardCharsets.US_ASCII);
      ByteBuffer local = ByteBuffer.allocate(30 + n.length).order(ByteOrder.LITTLE_ENDIAN);
      local.putInt(0x04034b50).putShort((short) 20).putShort((short) 0).putShort((short) method)
          .putShort((short) 0).putShort((short) 0x21).putInt((int) crc).putInt((int) compressed)
          .putInt((int) size).putShort((short) n.length).putShort((short) 0).put(n);
      directory.putInt(0x02014b50).putShort((short) 20).putShort((short) 20).putShort((short) 0)
          .putShort((short) method).putShort((short) 0).putShort((short) 0x21).putInt((int) crc)
          .putInt((int) compressed).putInt((int) size).putShort((short) n.length)
          .putShort((short) 0).putShort((short) 0).putShort((short) 0).putShort((short) 0)
          .putInt(0).putInt((int) offset).put(n);
      out.write(local.array());
      data.writeTo(out);
      offset += local.capacity() + compressed;
      count++;
    }

    void finish() throws IOException {
      out.write(directory.array(), 0, directory.position());
      ByteBuffer end = ByteBuffer.allocate(22).order(ByteOrder.LITTLE_ENDIAN);
      end.putInt(0x06054b50).putShort((short) 0).putShort((short) 0).putShort((short) count)
          .putShort((short) count).putInt(directory.position()).putInt((int) offset)
          .putShort((short) 0);
      out.write(end.array());
    }
  }

  /** Runs a main class of the test class path in a new JVM; its output lines. */
  static List<String> runJava(String heap, String mainClass, String... args) throws Exception {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add(heap);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass);
    command.addAll(List.of(args));
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(120, TimeUnit.SECONDS), "child JVM did not end");
    assertEquals(0, p.exitValue(), output);
    return output.lines().filter(l -> !l.startsWith("SLF4J")).toList();
  }

  /** Flips a bit of the stored data {@link #MARK}. */
  private static void corruptData(Path file) throws IOException {
    byte[] b = Files.readAllBytes(file);
    b[lastIndexOf(b, MARK, b.length)] ^= 1;
    Files.write(file, b);
  }

  private static int lastIndexOf(byte[] b, byte[] what, int before) {
    for (int i = before - what.length; i >= 0; i--) {
      if (Arrays.equals(b, i, i + what.length, what, 0, what.length)) {
        return i;
      }
    }
    throw new AssertionError("not found");
  }

  private static void replaceAll(byte[] b, String from, String to) {
    byte[] f = from.getBytes(StandardCharsets.US_ASCII);
    byte[] t = to.getBytes(StandardCharsets.US_ASCII);
    assertArrayEquals(new int[] {f.length}, new int[] {t.length});
    for (int i = 0; i + f.length <= b.length; i++) {
      if (Arrays.equals(b, i, i + f.length, f, 0, f.length)) {
        System.arraycopy(t, 0, b, i, t.length);
      }
    }
  }
}
