package dev.unroll.training.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class DataTest {

  @TempDir Path dir;

  private static long[] longs(INDArray a) {
    return a.dup().data().asLong();
  }

  private static double[] doubles(INDArray a) {
    return a.castTo(DataType.DOUBLE).dup().data().asDouble();
  }

  @Test
  void characterVocabularyIsSortedDistinctCodePoints() {
    CharCorpus c = CharCorpus.of("hello, wörld 😀");
    Vocabulary v = c.vocabulary();
    assertEquals(" ,dehlorw\u00f6\ud83d\ude00", v.decode(0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10));
    assertEquals(11, v.size());
    assertEquals(14, c.length()); // the emoji is one token
    assertEquals("hello, wörld 😀", v.decode(c.tokens()));
    assertArrayEquals(new int[] {4, 3, 5, 5, 6}, v.encode("hello"));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> v.encode("hex"));
    assertTrue(e.getMessage().contains("'x'") && e.getMessage().contains("position 2"), e.getMessage());
    assertEquals(v, Vocabulary.parse(v.serialize()));
    assertEquals(Vocabulary.bytes(), Vocabulary.parse(Vocabulary.bytes().serialize()));
    assertThrows(IllegalArgumentException.class, () -> Vocabulary.parse("chars"));
  }

  @Test
  void missingNamesTheUnseenCharactersOnceInOrder() {
    Vocabulary v = Vocabulary.of("abc");
    assertArrayEquals(new int[] {'x', 'y', '\n'}, v.missing("abxyx\nc\n"));
    assertArrayEquals(new int[0], v.missing("cab"));
    assertArrayEquals(new int[0], Vocabulary.bytes().missing("anything \u00e9"));
    assertEquals("U+000A", Vocabulary.describe('\n')); // a message naming it stays on one line
    assertEquals("U+00E9 '\u00e9'", Vocabulary.describe(0xe9));
  }

  @Test
  void byteVocabularyReadsAnyFile() throws IOException {
    Path f = dir.resolve("bin");
    byte[] bytes = {(byte) 0xff, 0, 'a', (byte) 0xc3, (byte) 0xa9};
    Files.write(f, bytes);
    IOException e = assertThrows(IOException.class, () -> CharCorpus.load(f));
    assertTrue(e.getMessage().contains("loadBytes"), e.getMessage());
    CharCorpus c = CharCorpus.loadBytes(f);
    assertArrayEquals(new int[] {255, 0, 97, 0xc3, 0xa9}, c.tokens());
    assertEquals(256, c.vocabulary().size());
    assertEquals("é", c.vocabulary().decode(0xc3, 0xa9));
    assertArrayEquals(new int[] {0xc3, 0xa9}, c.vocabulary().encode("é"));
    Path text = dir.resolve("t.txt");
    Files.writeString(text, "abcab", StandardCharsets.UTF_8);
    assertArrayEquals(new int[] {0, 1, 2, 0, 1}, CharCorpus.load(text).tokens());
  }

  @Test
  void tailSplitKeepsTheLastTenPercentForValidation() {
    int[] t = new int[100];
    Arrays.setAll(t, i -> i);
    Split<int[]> s = Splits.tail(t, 0.1);
    assertEquals(90, s.train().length);
    assertArrayEquals(new int[] {90, 91, 92, 93, 94, 95, 96, 97, 98, 99}, s.validation());
    assertEquals(0, Splits.tail(t, 0).validation().length);
  }

  @Test
  void randomSplitIsSeededAndDisjoint() {
    Split<int[]> a = Splits.randomIndices(50, 0.2, 7);
    Split<int[]> b = Splits.randomIndices(50, 0.2, 7);
    assertArrayEquals(a.validation(), b.validation());
    assertEquals(10, a.validation().length);
    assertEquals(40, a.train().length);
    Set<Integer> all = new HashSet<>();
    for (int i : a.train()) {
      all.add(i);
    }
    for (int i : a.validation()) {
      assertTrue(all.add(i));
    }
    assertEquals(50, all.size());
    assertFalse(Arrays.equals(a.validation(), Splits.randomIndices(50, 0.2, 8).validation()));
    List<String> items = List.of("a", "b", "c", "d", "e");
    Split<List<String>> s = Splits.random(items, 0.4, 1);
    assertEquals(2, s.validation().size());
    assertEquals(Splits.shuffled(items, 3), Splits.shuffled(items, 3));
  }

  @Test
  void sequenceBatchesCutParallelStreamsAndKeepTheShortLastChunk() {
    int[] t = new int[24]; // L = (24 - 1) / 2 = 11 steps per row; chunks of 4: 4, 4, 3
    Arrays.setAll(t, i -> i);
    SequenceBatches s = new SequenceBatches(t, 2, 4);
    assertEquals(11, s.streamLength());
    assertEquals(3, s.batchesPerEpoch());
    Batch b0 = s.next();
    assertTrue(b0.startsStreams());
    assertNull(b0.mask());
    assertArrayEquals(new long[] {2, 4}, b0.x().shape());
    assertArrayEquals(new long[] {0, 1, 2, 3, 11, 12, 13, 14}, longs(b0.x()));
    assertArrayEquals(new long[] {1, 2, 3, 4, 12, 13, 14, 15}, longs(b0.y()));
    Batch b1 = s.next();
    assertFalse(b1.startsStreams());
    assertArrayEquals(new long[] {4, 5, 6, 7, 15, 16, 17, 18}, longs(b1.x()));
    Batch b2 = s.next();
    assertArrayEquals(new long[] {2, 3}, b2.x().shape());
    assertArrayEquals(new long[] {8, 9, 10, 19, 20, 21}, longs(b2.x()));
    assertArrayEquals(new long[] {9, 10, 11, 20, 21, 22}, longs(b2.y()));
    assertEquals(3, s.position());
    assertEquals(1, s.epoch());
    Batch again = s.next(); // epoch 1 starts over
    assertTrue(again.startsStreams());
    assertArrayEquals(longs(b0.x()), longs(again.x()));
    s.seek(2);
    assertArrayEquals(longs(b2.y()), longs(s.next().y()));
  }

  @Test
  void aStreamShorterThanOneChunkIsOneChunk() {
    SequenceBatches s = new SequenceBatches(new int[] {5, 6, 7}, 1, 10);
    assertEquals(1, s.batchesPerEpoch());
    Batch b = s.next();
    assertArrayEquals(new long[] {5, 6}, longs(b.x()));
    assertArrayEquals(new long[] {6, 7}, longs(b.y()));
    assertThrows(IllegalArgumentException.class, () -> new SequenceBatches(new int[] {1, 2}, 2, 3));
  }

  @Test
  void paddingPadsAtTheEndWithMaskAndIgnoredTargets() {
    List<int[]> x = List.of(new int[] {3, 1, 4}, new int[] {1}, new int[] {5, 9});
    assertArrayEquals(new long[] {3, 1, 4, 1, 0, 0, 5, 9, 0}, longs(Padding.tokens(x)));
    assertArrayEquals(new long[] {3, 1, 4, 1, -100, -100, 5, 9, -100}, longs(Padding.targets(x)));
    INDArray mask = Padding.mask(Padding.lengths(x), DataType.FLOAT);
    assertEquals(DataType.FLOAT, mask.dataType());
    assertArrayEquals(new double[] {1, 1, 1, 1, 0, 0, 1, 1, 0}, doubles(mask), 0);
    List<double[][]> f =
        List.of(new double[][] {{1, 2}, {3, 4}}, new double[][] {{5, 6}});
    INDArray pf = Padding.features(f, DataType.DOUBLE);
    assertArrayEquals(new long[] {2, 2, 2}, pf.shape());
    assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6, 0, 0}, doubles(pf), 0);
    assertThrows(IllegalArgumentException.class, () -> Padding.tokens(List.of(new int[0])));
  }

  @Test
  void paddedBatchesShuffleEachEpochReproducibly() {
    List<int[]> x = new ArrayList<>();
    int[] labels = new int[10];
    for (int i = 0; i < 10; i++) {
      x.add(new int[i % 3 + 1]);
      labels[i] = i;
    }
    PaddedBatches a = PaddedBatches.tokenLabels(x, labels, 4, true, 42, DataType.FLOAT);
    assertEquals(3, a.batchesPerEpoch());
    List<int[]> e0 = a.epochIndices(0);
    List<int[]> e1 = a.epochIndices(1);
    assertEquals(2, e0.get(2).length);
    Set<Integer> seen = new HashSet<>();
    e0.forEach(b -> Arrays.stream(b).forEach(seen::add));
    assertEquals(10, seen.size());
    assertNotEquals(Arrays.toString(e0.get(0)), Arrays.toString(e1.get(0)));
    // restoring a position continues as an uninterrupted run
    PaddedBatches b = PaddedBatches.tokenLabels(x, labels, 4, true, 42, DataType.FLOAT);
    for (int i = 0; i < 4; i++) {
      a.next();
    }
    b.seek(4);
    Batch ba = a.next();
    Batch bb = b.next();
    assertArrayEquals(longs(ba.y()), longs(bb.y()));
    assertArrayEquals(e1.get(1), Arrays.stream(longs(ba.y())).mapToInt(v -> (int) v).toArray());
    PaddedBatches ordered = PaddedBatches.tokenLabels(x, labels, 4, false, 42, DataType.FLOAT);
    assertArrayEquals(new int[] {8, 9}, ordered.epochIndices(3).get(2));
  }
}
