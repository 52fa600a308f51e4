package dev.unroll.examples.generation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Corpus BLEU against values worked out by hand. */
class BleuTest {

  private static final double EPS = 1e-12;

  @Test
  void identicalCorpus_scoresOne() {
    List<int[]> refs = List.of(new int[] {1, 2, 3, 4, 5}, new int[] {7, 8, 9, 10, 11, 12});
    Bleu.Score s = Bleu.corpus(refs, refs);
    assertEquals(1.0, s.bleu(), EPS);
    assertArrayEquals(new double[] {1, 1, 1, 1}, s.precisions(), EPS);
    assertEquals(1.0, s.brevityPenalty(), EPS);
  }

  @Test
  void oneSubstitution_inEightTokens() {
    // 1-grams 7/8, 2-grams 5/7, 3-grams 3/6, 4-grams 1/5; same length so BP = 1;
    // (7/8 · 5/7 · 3/6 · 1/5)^(1/4) = (1/16)^(1/4) = 1/2
    Bleu.Score s = Bleu.corpus(List.of(new int[] {1, 2, 3, 4, 5, 6, 7, 8}),
        List.of(new int[] {1, 2, 3, 4, 9, 6, 7, 8}));
    assertArrayEquals(new double[] {7 / 8.0, 5 / 7.0, 3 / 6.0, 1 / 5.0}, s.precisions(), EPS);
    assertEquals(1.0, s.brevityPenalty(), EPS);
    assertEquals(0.5, s.bleu(), EPS);
  }

  @Test
  void shortHypothesis_paysTheBrevityPenalty() {
    // a 6-token prefix of an 8-token reference: every precision 1, BP = exp(1 - 8/6)
    Bleu.Score s = Bleu.corpus(List.of(new int[] {1, 2, 3, 4, 5, 6, 7, 8}),
        List.of(new int[] {1, 2, 3, 4, 5, 6}));
    assertEquals(Math.exp(-1 / 3.0), s.brevityPenalty(), EPS);
    assertEquals(Math.exp(-1 / 3.0), s.bleu(), EPS);
  }

  @Test
  void counts_arePooledOverTheCorpus() {
    // the second hypothesis has no 3- or 4-grams (sentence BLEU 0) but the corpus counts pool:
    // 7/7, 5/5, 3/3, 2/2, c = 7, r = 10, BLEU = exp(1 - 10/7)
    Bleu.Score s = Bleu.corpus(List.of(new int[] {1, 2, 3, 4, 5}, new int[] {1, 2, 3, 4, 5}),
        List.of(new int[] {1, 2, 3, 4, 5}, new int[] {1, 2}));
    assertEquals(7, s.hypothesisLength());
    assertEquals(10, s.referenceLength());
    assertEquals(Math.exp(-3 / 7.0), s.bleu(), EPS);
  }

  @Test
  void matches_areClippedByTheReferenceCounts() {
    // Papineni's example: "the the the the the the the" against "the cat is on the mat": p1 = 2/7
    int the = 1;
    Bleu b = new Bleu(1);
    b.add(new int[] {the, 2, 3, 4, the, 5}, new int[] {the, the, the, the, the, the, the});
    Bleu.Score s = b.score();
    assertEquals(2 / 7.0, s.precisions()[0], EPS);
    assertEquals(2 / 7.0, s.bleu(), EPS);
  }

  @Test
  void aMissingOrder_orAnEmptyCorpus_scoresZero() {
    assertEquals(0, Bleu.corpus(List.of(new int[] {1, 2, 3}), List.of(new int[] {1, 2, 3})).bleu());
    assertEquals(0, Bleu.corpus(List.of(), List.of()).bleu());
    assertEquals(0, Bleu.corpus(List.of(new int[] {1, 2, 3, 4}), List.of(new int[0])).bleu());
  }

  @Test
  void score_printsPercentages() {
    Bleu.Score s = Bleu.corpus(List.of(new int[] {1, 2, 3, 4, 5, 6, 7, 8}),
        List.of(new int[] {1, 2, 3, 4, 9, 6, 7, 8}));
    assertEquals("BLEU-4 50.00 (p1..p4 87.5/71.4/50.0/20.0, BP 1.000, c/r 8/8)", s.toString());
  }
}
