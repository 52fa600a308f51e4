package dev.unroll.examples.generation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

class SequenceMetricsTest {

  @Test
  void exactMatchAndTokenAccuracy() {
    SequenceMetrics m = new SequenceMetrics();
    m.add(new int[] {3, 4, 5}, new int[] {3, 4, 5}); // 4 of 4 (END included)
    m.add(new int[] {3, 4, 5}, new int[] {3, 4}); // 3, 4 right; END vs 5 and nothing vs END wrong: 2 of 4
    m.add(new int[] {3}, new int[] {6, 7}); // 0 of 3
    assertEquals(3, m.sequences());
    assertEquals(1, m.exact());
    assertEquals(1 / 3.0, m.exactMatch(), 1e-12);
    assertEquals(6 / 11.0, m.tokenAccuracy(), 1e-12);
  }

  @Test
  void vocabulary_roundTripsAndReservesTheFirstThreeIds() {
    WordVocabulary v = new WordVocabulary(List.of("a", "red", "circle"));
    assertEquals(6, v.size());
    assertArrayEquals(new int[] {3, 4, 5}, v.encode("a red circle"));
    assertEquals("a red circle", v.decode(new int[] {1, 3, 4, 5, 2, 4, 0}));
    assertEquals("<end>", v.word(WordVocabulary.END));
    assertArrayEquals(new int[] {3, 5}, WordVocabulary.strip(new int[] {3, 0, 5, 2, 4}));
  }

  @Test
  void tokenBatch_buildsTeacherForcingArrays() {
    TokenBatch.Targets t = TokenBatch.targets(List.of(new int[] {5, 6}, new int[] {7}));
    assertArrayEquals(new long[][] {{1, 5, 6}, {1, 7, 0}}, t.tgtIn().toLongMatrix());
    assertArrayEquals(new long[][] {{5, 6, 2}, {7, 2, -100}}, t.y().toLongMatrix());
    assertEquals(DataType.INT64, t.tgtIn().dataType());
    TokenBatch.Sources s = TokenBatch.sources(List.of(new int[] {4}, new int[] {5, 6, 7}), DataType.FLOAT);
    assertArrayEquals(new long[][] {{4, 0, 0}, {5, 6, 7}}, s.src().toLongMatrix());
    assertArrayEquals(new float[][] {{1, 0, 0}, {1, 1, 1}}, s.mask().toFloatMatrix());
  }
}
