package dev.unroll.runtime.generation;

import static dev.unroll.runtime.generation.FakeGenerator.A;
import static dev.unroll.runtime.generation.FakeGenerator.B;
import static dev.unroll.runtime.generation.FakeGenerator.END;
import static dev.unroll.runtime.generation.FakeGenerator.X;
import static dev.unroll.runtime.generation.FakeGenerator.Y;
import static dev.unroll.runtime.generation.FakeGenerator.logProbability;
import static dev.unroll.runtime.generation.FakeGenerator.p;
import static dev.unroll.runtime.generation.FakeGenerator.probabilities;
import static dev.unroll.runtime.generation.FakeGenerator.random;
import static dev.unroll.runtime.generation.FakeGenerator.script;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.runtime.generation.FakeGenerator.Table;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Beam search ({@link Decoding#beam}), against a {@link FakeGenerator}. */
class BeamSearchTest {

  @Test
  void beamRowsFinishingAtDifferentStepsSearchAsAloneAndLeaveTheSession() {
    int[] kinds = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
    for (int width : new int[] {1, 3}) {
      Table table = random(6, 5);
      FakeGenerator batched = new FakeGenerator(6, 14, table);
      Beams together = Decoding.beam(batched, FakeGenerator.state(kinds), width, 0.6);
      int alone = 0;
      int longest = 0;
      for (int r = 0; r < kinds.length; r++) {
        FakeGenerator single = new FakeGenerator(6, 14, table);
        Beams one = Decoding.beam(single, FakeGenerator.state(kinds[r]), width, 0.6);
        assertEquals(one.hypotheses(0), together.hypotheses(r), "width " + width + ", row " + r);
        alone += single.rowsStepped;
        longest = Math.max(longest, single.steps);
      }
      assertEquals(longest, batched.steps);
      assertEquals(alone, batched.rowsStepped, "width " + width + ": each row's copies leave when it is done");
      assertTrue(batched.rowsStepped < kinds.length * width * batched.steps, "some rows finish early");
    }
  }

  @Test
  void beamWidthOneIsExactlyGreedy() {
    int[] kinds = {0, 1, 2, 3, 4, 5, 6, 7};
    for (int maxSteps : new int[] {1, 3, 12}) {
      for (double alpha : new double[] {0, 0.6, 2}) {
        Table table = random(7, 11);
        Decoded greedy = Decoding.greedy(new FakeGenerator(7, maxSteps, table), FakeGenerator.state(kinds));
        FakeGenerator model = new FakeGenerator(7, maxSteps, table);
        Beams beams = Decoding.beam(model, FakeGenerator.state(kinds), 1, alpha);
        assertEquals(greedy, beams.best(), "maxSteps " + maxSteps + ", alpha " + alpha);
        for (int r = 0; r < kinds.length; r++) {
          assertEquals(1, beams.hypotheses(r).size());
        }
        assertTrue(model.steps <= maxSteps);
      }
    }
    // the case above must include rows that end and rows cut at maxSteps
    Decoded greedy = Decoding.greedy(new FakeGenerator(7, 3, random(7, 11)), FakeGenerator.state(kinds));
    assertTrue(Arrays.stream(greedy.tokens()).anyMatch(t -> t[t.length - 1] == END));
    assertTrue(Arrays.stream(greedy.tokens()).anyMatch(t -> t.length == 3 && t[2] != END));
    assertEquals(greedy, Decoding.beam(new FakeGenerator(7, 3, random(7, 11)), FakeGenerator.state(kinds), 1).best());
  }

  /**
   * Kind 0: greedy takes A (0.55), then X (0.5, tie with Y), then END (0.4): 0.11. The better sequence
   * starts with the less likely B (0.45), then X (0.9), then END (0.9): 0.3645. The END probability at
   * step 2 depends on the token two steps back, so the session's state must be reordered correctly.
   * Kind 1: A then END, with certainty.
   */
  private static Table lookahead() {
    return (kind, fed) -> {
      int v = 6;
      if (kind == 1) {
        return probabilities(v, h -> h.length == 1 ? p(v, A, 100) : p(v, END, 100)).logits(kind, fed);
      }
      return probabilities(v, h -> {
        String s = Arrays.toString(h);
        return switch (s) {
          case "[0]" -> p(v, A, 55, B, 45);
          case "[0, 2]" -> p(v, X, 50, Y, 50);
          case "[0, 3]" -> p(v, X, 90, Y, 10);
          case "[0, 2, 4]", "[0, 2, 5]" -> p(v, END, 40, A, 30, B, 30);
          case "[0, 3, 4]", "[0, 3, 5]" -> p(v, END, 90, A, 5, B, 5);
          default -> p(v, END, 100);
        };
      }).logits(kind, fed);
    };
  }

  @Test
  void beamFindsAMoreLikelySequenceThanGreedy() {
    Decoded greedy = Decoding.greedy(new FakeGenerator(6, 8, lookahead()), FakeGenerator.state(0, 1));
    assertArrayEquals(new int[][] {{A, X, END}, {A, END}}, greedy.tokens());
    assertEquals(Math.log(0.11), greedy.logProbabilities()[0], 1e-5);

    FakeGenerator single = new FakeGenerator(6, 8, lookahead());
    Decoding.beam(single, FakeGenerator.state(0), 2);
    assertEquals(3, single.steps, "both hypotheses have ended after 3 steps");

    FakeGenerator model = new FakeGenerator(6, 8, lookahead());
    Beams beams = Decoding.beam(model, FakeGenerator.state(0, 1), 2);
    List<Hypothesis> row0 = beams.hypotheses(0);
    assertEquals(2, row0.size());
    assertArrayEquals(new int[] {B, X, END}, row0.get(0).tokens());
    assertEquals(Math.log(0.3645), row0.get(0).logProbability(), 1e-5);
    assertEquals(Math.log(0.3645) / Math.pow(3, 0.6), row0.get(0).score(), 1e-5);
    assertArrayEquals(new int[] {A, X, END}, row0.get(1).tokens());
    assertEquals(Math.log(0.11), row0.get(1).logProbability(), 1e-5);
    assertTrue(row0.get(0).logProbability() > greedy.logProbabilities()[0] + 1);
    assertArrayEquals(new int[] {A, END}, beams.hypotheses(1).get(0).tokens());
    assertEquals(0, beams.hypotheses(1).get(0).logProbability(), 1e-5);
    assertTrue(model.selects > 0);
    assertArrayEquals(new long[][] {{B, X, END}, {A, END, 9}}, beams.padded(9).toLongMatrix());

    Beams three = Decoding.beam(new FakeGenerator(6, 8, lookahead()), FakeGenerator.state(0, 1), 3);
    assertEquals(3, three.hypotheses(0).size());
    assertArrayEquals(new int[] {B, X, END}, three.hypotheses(0).get(0).tokens());
    assertEquals(Math.log(0.3645), three.best().logProbabilities()[0], 1e-5);
  }

  /**
   * END alone (0.4) against A END (0.6 · 0.6 = 0.36): by log-probability END wins; with the length
   * penalty, log(0.36) / 2^0.6 = -0.674 beats log(0.4) = -0.916.
   */
  @Test
  void lengthPenaltyChangesTheRanking() {
    Table table = probabilities(4, h -> h.length == 1 ? p(4, END, 40, A, 60) : p(4, END, 60, A, 20, B, 20));

    FakeGenerator plain = new FakeGenerator(4, 5, table);
    List<Hypothesis> byLogProbability = Decoding.beam(plain, FakeGenerator.state(0), 2, 0).hypotheses(0);
    assertEquals(2, byLogProbability.size());
    assertArrayEquals(new int[] {END}, byLogProbability.get(0).tokens());
    assertArrayEquals(new int[] {A, END}, byLogProbability.get(1).tokens());
    assertEquals(Math.log(0.4), byLogProbability.get(0).score(), 1e-6);
    assertEquals(Math.log(0.36), byLogProbability.get(1).score(), 1e-6);
    // A A (0.12) cannot beat log(0.36) any more: done after 2 steps
    assertEquals(2, plain.steps);

    FakeGenerator penalized = new FakeGenerator(4, 5, table);
    List<Hypothesis> normalized = Decoding.beam(penalized, FakeGenerator.state(0), 2).hypotheses(0);
    assertEquals(2, normalized.size());
    assertArrayEquals(new int[] {A, END}, normalized.get(0).tokens());
    assertArrayEquals(new int[] {END}, normalized.get(1).tokens());
    assertEquals(Math.log(0.36), normalized.get(0).logProbability(), 1e-6);
    assertEquals(Math.log(0.36) / Math.pow(2, 0.6), normalized.get(0).score(), 1e-6);
    assertEquals(Math.log(0.4), normalized.get(1).score(), 1e-6);
    // log(0.12) / 5^0.6 = -0.81 could still beat -0.916, so a third step runs; then log(0.024) / 5^0.6 cannot
    assertEquals(3, penalized.steps);
  }

  @Test
  void beamFindsEveryHypothesisWhenWideEnough() {
    // vocabulary 4, 3 steps: 1 + 3 + 9 sequences end with END, 27 are cut at maxSteps
    Table table = random(4, 5);
    for (double alpha : new double[] {0, 0.6}) {
      List<Hypothesis> all = new ArrayList<>();
      List<int[]> prefixes = List.of(new int[0]);
      for (int length = 1; length <= 3; length++) {
        List<int[]> longer = new ArrayList<>();
        for (int[] prefix : prefixes) {
          for (int v = 0; v < 4; v++) {
            int[] tokens = Arrays.copyOf(prefix, length);
            tokens[length - 1] = v;
            if (v == END || length == 3) {
              double lp = logProbability(table, 2, tokens);
              all.add(new Hypothesis(tokens, lp, Decoding.score(lp, length, alpha)));
            } else {
              longer.add(tokens);
            }
          }
        }
        prefixes = longer;
      }
      assertEquals(40, all.size());
      all.sort(Comparator.comparingDouble(Hypothesis::score).reversed());

      FakeGenerator model = new FakeGenerator(4, 3, table);
      List<Hypothesis> found = Decoding.beam(model, FakeGenerator.state(2), 40, alpha).hypotheses(0);
      assertEquals(40, found.size());
      for (int i = 0; i < 40; i++) {
        assertArrayEquals(all.get(i).tokens(), found.get(i).tokens(), "alpha " + alpha + ", rank " + i);
        assertEquals(all.get(i).logProbability(), found.get(i).logProbability(), 1e-12);
        assertEquals(all.get(i).score(), found.get(i).score(), 1e-12);
      }
      assertEquals(3, model.steps);
    }
  }

  @Test
  void beamHypothesesAreDistinctSortedAndScoredByTheirLogProbability() {
    Table table = random(6, 17);
    int maxSteps = 6;
    int[] kinds = {0, 1, 2, 3};
    FakeGenerator model = new FakeGenerator(6, maxSteps, table);
    Beams beams = Decoding.beam(model, FakeGenerator.state(kinds), 3);
    assertEquals(4, beams.rows());
    assertTrue(model.steps <= maxSteps);
    for (int r = 0; r < kinds.length; r++) {
      List<Hypothesis> row = beams.hypotheses(r);
      assertEquals(3, row.size());
      Set<List<Integer>> seen = new HashSet<>();
      for (int i = 0; i < row.size(); i++) {
        Hypothesis h = row.get(i);
        int[] t = h.tokens();
        assertTrue(seen.add(Arrays.stream(t).boxed().toList()), "distinct: " + Arrays.toString(t));
        assertTrue(t.length >= 1 && t.length <= maxSteps);
        for (int k = 0; k < t.length - 1; k++) {
          assertNotEquals(END, t[k], "END only last");
        }
        assertTrue(h.endsWith(END) || t.length == maxSteps);
        assertEquals(logProbability(table, kinds[r], t), h.logProbability(), 1e-12);
        assertEquals(Decoding.score(h.logProbability(), t.length, 0.6), h.score(), 0);
        if (i > 0) {
          assertTrue(row.get(i - 1).score() >= h.score(), "sorted by score");
        }
      }
    }
  }

  @Test
  void beamNeverStepsPastMaxSteps() {
    FakeGenerator model = new FakeGenerator(5, 3, script(5, new int[] {2, 3, 4, 2, 3}, new int[] {4}));
    Beams beams = Decoding.beam(model, FakeGenerator.state(0, 1), 2);
    assertEquals(3, model.steps);
    assertArrayEquals(new int[] {2, 3, 4}, beams.hypotheses(0).get(0).tokens());
    assertFalse(beams.hypotheses(0).get(0).endsWith(END));
    assertArrayEquals(new int[] {4, END}, beams.hypotheses(1).get(0).tokens());
  }
}
