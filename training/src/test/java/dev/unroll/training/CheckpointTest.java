package dev.unroll.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.runtime.Gradients;
import dev.unroll.training.optim.Adam;
import dev.unroll.training.optim.Sgd;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Collections;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class CheckpointTest {

  @TempDir Path dir;

  private static INDArray tokens(long seed, int b, int t) {
    SplittableRandom r = new SplittableRandom(seed);
    long[] v = new long[b * t];
    for (int i = 0; i < v.length; i++) {
      v[i] = r.nextInt(11);
    }
    return Nd4j.create(v, new long[] {b, t}, DataType.INT64);
  }

  /** A CharLm and an Adam that has taken two real steps, saved to a checkpoint. */
  private Path saved(UnrolledTestModels_CharLm model, Adam adam) throws IOException {
    for (int i = 0; i < 2; i++) {
      Gradients g = model.gradients(tokens(i, 2, 5), tokens(i + 10, 2, 5));
      adam.step(model.parameters(), g.asMap());
    }
    Path file = dir.resolve("ck.zip");
    Checkpoint.save(file, model, adam, new long[] {7, -1, Long.MIN_VALUE}, 17,
        Map.of("vocabulary", "codepoints:61,62", "note", "a = b\nc"));
    return file;
  }

  @Test
  void roundTripRestoresEverything() throws IOException {
    UnrolledTestModels_CharLm model = new UnrolledTestModels_CharLm(1);
    Adam adam = new Adam(0.01);
    Path file = saved(model, adam);
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(file), files.toList()); // no temporary file left behind
    }

    UnrolledTestModels_CharLm other = new UnrolledTestModels_CharLm(2);
    Adam otherAdam = new Adam(0.5);
    Checkpoint.Contents c = Checkpoint.load(file, other, otherAdam);
    for (Map.Entry<String, INDArray> e : model.parameters().entrySet()) {
      assertEquals(e.getValue(), other.parameters().get(e.getKey()), e.getKey());
    }
    Map<String, INDArray> s1 = adam.state();
    Map<String, INDArray> s2 = otherAdam.state();
    assertEquals(s1.keySet(), s2.keySet());
    s1.forEach((k, v) -> assertEquals(v, s2.get(k), k));
    assertEquals(2, otherAdam.stepCount());
    assertEquals(0.01, otherAdam.learningRate(), 0);
    assertArrayEquals(new long[] {7, -1, Long.MIN_VALUE}, c.rngStateLongs());
    assertEquals(17, c.dataPosition());
    assertEquals("codepoints:61,62", c.metadata().get("vocabulary"));
    assertEquals("a = b\nc", c.metadata().get("note"));
    assertEquals(model.config(), c.config());
    assertEquals(Checkpoint.FORMAT_VERSION, c.formatVersion());
    assertEquals("Adam", c.optimizerType());

    // saving again replaces the file
    Checkpoint.save(file, model, null, (byte[]) null, 18, null);
    Checkpoint.Contents again = Checkpoint.read(file);
    assertEquals(18, again.dataPosition());
    assertEquals(0, again.rngState().length);
    assertTrue(again.optimizerState().isEmpty());
  }

  @Test
  void aCorruptedByteIsRefused() throws IOException {
    Path file = saved(new UnrolledTestModels_CharLm(1), new Adam(0.01));
    byte[] good = Files.readAllBytes(file);
    byte[] bad = good.clone();
    bad[good.length / 2] ^= 0x10; // inside the weights or the optimizer state
    Path corrupt = dir.resolve("corrupt.zip");
    Files.write(corrupt, bad);
    IOException e = assertThrows(IOException.class, () -> Checkpoint.read(corrupt));
    assertTrue(e.getMessage().contains("corrupt"), e.getMessage());

    // wherever a byte flips, the file is refused or (zip header fields that carry no data, such as
    // timestamps) reads back exactly the same
    Checkpoint.Contents reference = Checkpoint.read(file);
    SplittableRandom r = new SplittableRandom(3);
    for (int trial = 0; trial < 60; trial++) {
      byte[] b = good.clone();
      int at = r.nextInt(b.length);
      b[at] ^= (byte) (1 + r.nextInt(255));
      Files.write(corrupt, b);
      try {
        Checkpoint.Contents c = Checkpoint.read(corrupt);
        assertEquals(reference.dataPosition(), c.dataPosition(), "byte " + at);
        assertEquals(reference.metadata(), c.metadata(), "byte " + at);
        reference.weights().forEach((k, v) -> assertEquals(v, c.weights().get(k), "byte " + at));
      } catch (IOException expected) {
        // refused
      }
    }
  }

  @Test
  void aTruncatedFileIsRefused() throws IOException {
    Path file = saved(new UnrolledTestModels_CharLm(1), new Adam(0.01));
    byte[] good = Files.readAllBytes(file);
    for (int length : new int[] {0, 3, good.length / 3, good.length - 1}) {
      Path cut = dir.resolve("cut" + length + ".zip");
      Files.write(cut, Arrays.copyOf(good, length));
      IOException e = assertThrows(IOException.class, () -> Checkpoint.read(cut));
      assertTrue(e.getMessage().contains("truncated or corrupt"), e.getMessage());
    }
    assertThrows(java.nio.file.NoSuchFileException.class,
        () -> Checkpoint.read(dir.resolve("missing.zip")));
  }

  @Test
  void anotherConfigurationListsTheDifferences() throws IOException {
    UnrolledTestModels_CharLm model = new UnrolledTestModels_CharLm(1);
    Path file = saved(model, new Adam(0.01));
    UnrolledTestModels_CharLmSmall small = new UnrolledTestModels_CharLmSmall(1);
    INDArray before = small.parameters().get("fc.weight").dup();
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Checkpoint.load(file, small, new Adam()));
    assertTrue(e.getMessage().contains("hidden: 12 here, 16 there"), e.getMessage());
    assertEquals(before, small.parameters().get("fc.weight"));

    e = assertThrows(IllegalArgumentException.class,
        () -> Checkpoint.load(file, new UnrolledTestModels_CharLm(3), new Sgd(0.1)));
    assertTrue(e.getMessage().contains("not of a Sgd"), e.getMessage());
  }

  private static Map<String, byte[]> entries(Path zip) throws IOException {
    Map<String, byte[]> entries = new LinkedHashMap<>();
    try (ZipFile in = new ZipFile(zip.toFile())) {
      for (ZipEntry e : Collections.list(in.entries())) {
        entries.put(e.getName(), in.getInputStream(e).readAllBytes());
      }
    }
    return entries;
  }

  private static void writeZip(Path file, Map<String, byte[]> entries, boolean deflate)
      throws IOException {
    try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(file))) {
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
  }

  /** The checkpoint's entries rewritten: each deflated or stored, and {@code extra} added. */
  private Path rewritten(Path file, boolean deflate, Map<String, byte[]> extra) throws IOException {
    Path out = dir.resolve("rewritten.zip");
    Map<String, byte[]> entries = entries(file);
    entries.putAll(extra);
    writeZip(out, entries, deflate);
    return out;
  }

  @Test
  void theRewrittenFileReadsBackWhenNothingChanged() throws IOException {
    Path file = saved(new UnrolledTestModels_CharLm(1), new Adam(0.01));
    Checkpoint.Contents c = Checkpoint.read(rewritten(file, false, Map.of()));
    assertEquals(17, c.dataPosition());
  }

  @Test
  void compressedEntriesAreRefused() throws IOException {
    Path file = rewritten(saved(new UnrolledTestModels_CharLm(1), new Adam(0.01)), true, Map.of());
    IOException e = assertThrows(IOException.class, () -> Checkpoint.read(file));
    assertEquals(
        "checkpoint " + file + " holds entry checkpoint.properties compressed, but checkpoints store"
            + " every entry uncompressed: it was altered or is not an unroll checkpoint",
        e.getMessage());
  }

  @Test
  void unknownEntriesAreRefused() throws IOException {
    Path file =
        rewritten(
            saved(new UnrolledTestModels_CharLm(1), new Adam(0.01)), false,
            Map.of("notes.txt", "hello".getBytes(StandardCharsets.UTF_8)));
    IOException e =
        assertThrows(
            IOException.class, () -> Checkpoint.load(file, new UnrolledTestModels_CharLm(2), null));
    assertTrue(
        e.getMessage().startsWith(
            "checkpoint " + file + " holds an entry 'notes.txt', which checkpoints do not have"),
        e.getMessage());
  }

  @Test
  void aCompressedArrayInsideTheWeightsIsRefused() throws IOException {
    Path file = saved(new UnrolledTestModels_CharLm(1), new Adam(0.01));
    Map<String, byte[]> entries = entries(file);
    // weights.npz re-zipped with deflated arrays, and the checksum made to match
    Path weights = dir.resolve("w.npz");
    Files.write(weights, entries.get("weights.npz"));
    writeZip(weights, entries(weights), true);
    entries.put("weights.npz", Files.readAllBytes(weights));
    MessageDigest sha;
    try {
      sha = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new AssertionError(e);
    }
    for (Map.Entry<String, byte[]> e : entries.entrySet()) {
      if (!e.getKey().equals("checksum.sha256")) {
        sha.update(e.getKey().getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
        sha.update(ByteBuffer.allocate(8).putLong(e.getValue().length).array());
        sha.update(e.getValue());
      }
    }
    entries.put("checksum.sha256",
        HexFormat.of().formatHex(sha.digest()).getBytes(StandardCharsets.US_ASCII));
    Path ck = dir.resolve("ck2.zip");
    writeZip(ck, entries, false);
    IOException e = assertThrows(IOException.class, () -> Checkpoint.read(ck));
    assertEquals(
        "entry 'embedding.weight' in weights.npz in checkpoint " + ck + " is compressed, but this"
            + " archive is written uncompressed: it was altered",
        e.getMessage());
  }

  @Test
  void aSaveDeletesTheTemporaryFileThatAKilledSaveLeft() throws IOException {
    Path file = dir.resolve("ck.zip");
    Path stale = dir.resolve(".ck.zip.8123456789.unroll-tmp");
    Files.writeString(stale, "half a checkpoint");
    Checkpoint.save(file, new UnrolledTestModels_CharLm(1), null, (byte[]) null, 3, null);
    try (Stream<Path> files = Files.list(dir)) {
      assertEquals(List.of(file), files.toList());
    }
    assertEquals(3, Checkpoint.read(file).dataPosition());
  }

  @Test
  void loadReturnsTheModelsOwnParameters() throws IOException {
    UnrolledTestModels_CharLm model = new UnrolledTestModels_CharLm(1);
    Path file = saved(model, new Adam(0.01));
    UnrolledTestModels_CharLm other = new UnrolledTestModels_CharLm(2);
    Checkpoint.Contents c = Checkpoint.load(file, other, null);
    assertEquals(other.parameters().keySet(), c.weights().keySet());
    c.weights().forEach((k, v) -> assertSame(other.parameters().get(k), v, k));
    c.weights().forEach((k, v) -> assertEquals(model.parameters().get(k), v, k));
    assertFalse(c.optimizerState().isEmpty());
  }
}
