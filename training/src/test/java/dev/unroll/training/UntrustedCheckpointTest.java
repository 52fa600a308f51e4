package dev.unroll.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import dev.unroll.runtime.Gradients;
import dev.unroll.training.optim.Adam;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Checkpoints are untrusted input: whatever is done to a valid one (cut short, bits flipped, sizes,
 * offsets and compression methods in either zip directory edited, entries renamed), {@link
 * Checkpoint#read} and {@link Checkpoint#load} end normally or with an {@link IOException} naming the
 * file, or ({@code load} only) an {@link IllegalArgumentException}; never another exception or error.
 * A file that reads must hold exactly what was saved.
 */
class UntrustedCheckpointTest {

  private static Path dir;
  private static byte[] valid;
  private static Checkpoint.Contents reference;

  @BeforeContainer
  static void checkpoint() throws IOException {
    dir = Files.createTempDirectory("untrusted-checkpoint");
    UnrolledTestModels_CharLm model = new UnrolledTestModels_CharLm(1);
    Adam adam = new Adam(0.01);
    INDArray x = Nd4j.create(new long[] {1, 2, 3, 4, 5, 6}, new long[] {2, 3}, DataType.INT64);
    Gradients g = model.gradients(x, x);
    adam.step(model.parameters(), g.asMap());
    Path file = dir.resolve("valid.zip");
    Checkpoint.save(file, model, adam, new byte[] {1, 2, 3}, 5, Map.of("k", "v"),
        Map.of("state.0", Nd4j.ones(DataType.FLOAT, 2, 16)));
    valid = Files.readAllBytes(file);
    reference = Checkpoint.read(file);
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

  @Property(tries = 100)
  void truncated(@ForAll @IntRange(max = 1 << 20) int cut) throws IOException {
    check(Arrays.copyOf(valid, cut % valid.length));
  }

  @Property(tries = 200)
  void flippedBits(
      @ForAll("positions") List<Integer> positions, @ForAll @IntRange(min = 1, max = 255) int mask)
      throws IOException {
    byte[] b = valid.clone();
    for (int p : positions) {
      b[p % b.length] ^= (byte) mask;
    }
    check(b);
  }

  @Provide
  Arbitrary<List<Integer>> positions() {
    return Arbitraries.integers().between(0, 1 << 20).list().ofMinSize(1).ofMaxSize(4);
  }

  /** A field of a central directory record or end record, outer or nested, set to another value. */
  @Property(tries = 200)
  void editedDirectoryFields(
      @ForAll @IntRange(max = 1000) int record,
      @ForAll("fields") int field,
      @ForAll("values") long value)
      throws IOException {
    byte[] b = valid.clone();
    List<Integer> records = signatures(b, 0x02014b50);
    records.addAll(signatures(b, 0x06054b50));
    int at = records.get(record % records.size()) + field;
    if (at + 4 <= b.length) {
      ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putInt(at, (int) value);
    }
    check(b);
  }

  @Provide
  Arbitrary<Integer> fields() {
    // central record: method 10, sizes 20 and 24, name length 28, local offset 42;
    // end record: counts 8, directory size 12 and offset 16
    return Arbitraries.of(8, 10, 12, 16, 20, 24, 28, 42);
  }

  @Provide
  Arbitrary<Long> values() {
    return Arbitraries.of(0xffffffffL, 0x7fffffffL, 0x80000000L, 0x10008L, 8L, 0L, 1L, 99_999L);
  }

  /** An entry renamed (a known name to an unknown one, or to another known one: a duplicate). */
  @Property(tries = 20)
  void renamedEntries(
      @ForAll("names") String from, @ForAll("names") String to, @ForAll boolean first)
      throws IOException {
    if (from.length() != to.length()) {
      to = (to + "xxxxxxxxxxxxxxxxxxxxx").substring(0, from.length());
    }
    byte[] b = valid.clone();
    byte[] f = from.getBytes(StandardCharsets.US_ASCII);
    for (int i = 0; i + f.length <= b.length; i++) {
      if (Arrays.equals(b, i, i + f.length, f, 0, f.length)) {
        System.arraycopy(to.getBytes(StandardCharsets.US_ASCII), 0, b, i, f.length);
        if (first) {
          break;
        }
      }
    }
    check(b);
  }

  @Provide
  Arbitrary<String> names() {
    return Arbitraries.of("weights.npz", "extra.npz", "optimizer.npz", "checksum.sha256",
        "checkpoint.properties", "fc.weight.npy", "fc.bias.npy", "state.0.npy");
  }

  private static void check(byte[] b) throws IOException {
    Path file = dir.resolve("mutated.zip");
    Files.write(file, b);
    try {
      Checkpoint.Contents c = Checkpoint.read(file);
      assertEquals(reference.dataPosition(), c.dataPosition());
      assertEquals(reference.metadata(), c.metadata());
      reference.weights().forEach((k, v) -> assertEquals(v, c.weights().get(k), k));
      reference.optimizerState().forEach((k, v) -> assertEquals(v, c.optimizerState().get(k), k));
      assertEquals(reference.extraArrays().keySet(), c.extraArrays().keySet());
    } catch (IOException e) {
      assertTrue(e.getMessage() != null && e.getMessage().contains(file.toString()), e.getMessage());
    } catch (Throwable t) {
      fail("Checkpoint.read threw " + t, t);
    }
    try {
      Checkpoint.load(file, new UnrolledTestModels_CharLm(2), new Adam());
    } catch (IOException e) {
      assertTrue(e.getMessage() != null && e.getMessage().contains(file.toString()), e.getMessage());
    } catch (IllegalArgumentException e) {
      assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
    } catch (Throwable t) {
      fail("Checkpoint.load threw " + t, t);
    }
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
}
