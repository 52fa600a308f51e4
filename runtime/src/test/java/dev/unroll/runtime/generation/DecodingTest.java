package dev.unroll.runtime.generation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.runtime.ModelConfig;
import dev.unroll.runtime.RecurrentState;
import dev.unroll.runtime.StatefulModel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class DecodingTest {

  private static final int START = 0;
  private static final int END = 1;
  private static final int A = 2;
  private static final int B = 3;
  private static final int X = 4;
  private static final int Y = 5;

  // ---------------------------------------------------------------------------------------------
  // a fake generator: logits from a table of (row kind, tokens fed so far)

  /** Logits for the next token of a row of kind {@code kind} that has been fed {@code fed} (START first). */
  interface Table {
    double[] logits(int kind, int[] fed);
  }

  /**
   * A generation model whose "state" is a kind per row ({@code [B, 1]}) and whose session remembers the
   * tokens fed to each row, so that a wrong {@code select} gives wrong logits. Counts steps, and fails
   * when stepped past {@code maxSteps}.
   */
  static final class Fake implements SequenceGenerator<Fake.State> {
    record State(INDArray kinds) implements RecurrentState {
      @Override
      public List<INDArray> arrays() {
        return List.of(kinds);
      }
    }

    final int vocabulary;
    final int maxSteps;
    final Table table;
    DataType logitsType = DataType.FLOAT;
    char order = 'c';
    int steps;
    /** Rows stepped, summed over the steps. */
    int rowsStepped;
    int selects;
    Session last;

    Fake(int vocabulary, int maxSteps, Table table) {
      this.vocabulary = vocabulary;
      this.maxSteps = maxSteps;
      this.table = table;
    }

    static State state(int... kinds) {
      float[][] k = new float[kinds.length][1];
      for (int r = 0; r < kinds.length; r++) {
        k[r][0] = kinds[r];
      }
      return new State(Nd4j.createFromArray(k));
    }

    @Override
    public int startToken() {
      return START;
    }

    @Override
    public int endToken() {
      return END;
    }

    @Override
    public int maxSteps() {
      return maxSteps;
    }

    @Override
    public int vocabulary() {
      return vocabulary;
    }

    @Override
    public StatefulModel.Step<State> step(INDArray tokens, State state) {
      throw new UnsupportedOperationException();
    }

    @Override
    public DecoderSession session(State state, int copies) {
      int batch = (int) state.batch();
      int[] kind = new int[batch * copies];
      for (int r = 0; r < batch; r++) {
        for (int j = 0; j < copies; j++) {
          kind[r * copies + j] = (int) state.kinds().getDouble(r, 0);
        }
      }
      last = new Session(kind, copies);
      return last;
    }

    @Override
    public Map<String, INDArray> parameters() {
      return Map.of();
    }

    @Override
    public DataType dataType() {
      return DataType.FLOAT;
    }

    @Override
    public ModelConfig config() {
      throw new UnsupportedOperationException();
    }

    @Override
    public SequenceGenerator<State> replica() {
      throw new UnsupportedOperationException();
    }

    final class Session implements DecoderSession {
      int[] kind;
      final int copies;
      int[][] fed;
      /** Per session row, the caller's row whose hypotheses it holds. */
      int[] origin;
      /** Per caller's row, the tokens fed to (the last stepped copy of) it. */
      final int[][] fedByOrigin;
      int count;
      INDArray logits;

      Session(int[] kind, int copies) {
        this.kind = kind;
        this.copies = copies;
        this.fed = new int[kind.length][maxSteps];
        this.origin = new int[kind.length];
        for (int i = 0; i < kind.length; i++) {
          origin[i] = i / copies;
        }
        this.fedByOrigin = new int[kind.length / copies][0];
        this.logits = Nd4j.create(logitsType, new long[] {kind.length, vocabulary}, order);
      }

      @Override
      public int rows() {
        return kind.length;
      }

      @Override
      public INDArray step(int[] tokens) {
        if (count == maxSteps) {
          throw new AssertionError("step " + (count + 1) + " is past maxSteps " + maxSteps);
        }
        assertEquals(kind.length, tokens.length, "tokens per step");
        steps++;
        rowsStepped += kind.length;
        for (int r = 0; r < kind.length; r++) {
          if (tokens[r] < 0 || tokens[r] >= vocabulary) {
            throw new IllegalArgumentException("token " + tokens[r]);
          }
          fed[r][count] = tokens[r];
        }
        count++;
        for (int r = 0; r < kind.length; r++) {
          fedByOrigin[origin[r]] = fed(r);
          double[] l = table.logits(kind[r], fed(r));
          for (int v = 0; v < vocabulary; v++) {
            logits.putScalar(r, v, l[v]);
          }
        }
        return logits;
      }

      /** The tokens fed to row {@code r} so far. */
      int[] fed(int r) {
        return Arrays.copyOf(fed[r], count);
      }

      @Override
      public void select(int[] from) {
        assertTrue(from.length >= 1 && from.length <= kind.length, "select length " + from.length);
        assertEquals(0, from.length % copies, "select keeps whole groups of copies");
        selects++;
        int[][] f = new int[from.length][];
        int[] k = new int[from.length];
        int[] o = new int[from.length];
        for (int i = 0; i < from.length; i++) {
          if (origin[from[i]] != origin[from[i - i % copies]]) {
            throw new AssertionError("select mixes the copies of two batch rows in row " + i);
          }
          f[i] = fed[from[i]].clone();
          k[i] = kind[from[i]];
          o[i] = origin[from[i]];
        }
        if (from.length < kind.length) {
          logits = Nd4j.create(logitsType, new long[] {from.length, vocabulary}, order);
        }
        fed = f;
        kind = k;
        origin = o;
      }
    }
  }

  /** Kind k writes sequences[k] (3 against 0 for the other tokens), then END. */
  private static Table script(int vocabulary, int[]... sequences) {
    return (kind, fed) -> {
      int t = fed.length - 1;
      int[] s = sequences[kind];
      double[] l = new double[vocabulary];
      l[t < s.length ? s[t] : END] = 3;
      return l;
    };
  }

  /** Logits log(p) from a distribution per history; tokens the distribution leaves out get logit -30. */
  private static Table probabilities(int vocabulary, Function<int[], double[]> distribution) {
    return (kind, fed) -> {
      double[] p = distribution.apply(fed);
      double[] l = new double[vocabulary];
      for (int v = 0; v < vocabulary; v++) {
        l[v] = p[v] > 0 ? Math.log(p[v]) : -30;
      }
      return l;
    };
  }

  /** Pseudo-random logits, a function of (kind, history); END gets likelier with every step. */
  private static Table random(int vocabulary, long seed) {
    return (kind, fed) -> {
      SplittableRandom rng = new SplittableRandom(seed * 1_000_003L + 31L * Arrays.hashCode(fed) + kind);
      double[] l = new double[vocabulary];
      for (int v = 0; v < vocabulary; v++) {
        l[v] = 1.5 * rng.nextGaussian();
      }
      l[END] += 0.5 * fed.length - 1.5;
      return l;
    };
  }

  private static double[] p(int vocabulary, int... tokensAndPercent) {
    double[] p = new double[vocabulary];
    for (int i = 0; i < tokensAndPercent.length; i += 2) {
      p[tokensAndPercent[i]] = tokensAndPercent[i + 1] / 100.0;
    }
    return p;
  }

  private static double logSumExp(double[] x) {
    double max = Double.NEGATIVE_INFINITY;
    for (double v : x) {
      max = Math.max(max, v);
    }
    double sum = 0;
    for (double v : x) {
      sum += Math.exp(v - max);
    }
    return max + Math.log(sum);
  }

  /** The model's log-probability of {@code tokens} for a row of kind {@code kind}, as a FLOAT model computes it. */
  private static double logProbability(Table table, int kind, int[] tokens) {
    int[] fed = {START};
    double lp = 0;
    for (int token : tokens) {
      double[] l = table.logits(kind, fed);
      for (int v = 0; v < l.length; v++) {
        l[v] = (float) l[v];
      }
      lp += l[token] - logSumExp(l);
      fed = Arrays.copyOf(fed, fed.length + 1);
      fed[fed.length - 1] = token;
    }
    return lp;
  }

  private static void assertMessage(String expected, Executable call) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    assertEquals(expected, e.getMessage());
  }

  // ---------------------------------------------------------------------------------------------
  // greedy

  @Test
  void greedyDecodesKnownSequencesEachRowStoppingAtItsOwnEnd() {
    Fake model = new Fake(5, 10, script(5, new int[] {2, 3, 4}, new int[] {4}));
    Decoded out = Decoding.greedy(model, Fake.state(0, 1));

    assertArrayEquals(new int[][] {{2, 3, 4, END}, {4, END}}, out.tokens());
    double perStep = 3 - Math.log(Math.exp(3) + 4);
    assertEquals(4 * perStep, out.logProbabilities()[0], 1e-12);
    assertEquals(2 * perStep, out.logProbabilities()[1], 1e-12);
    assertEquals(4, model.steps, "stops stepping once every row has ended");
    assertEquals(2 + 2 + 1 + 1, model.rowsStepped, "the row that ended is not stepped any more");
    // START first; the row that ended left the session
    assertArrayEquals(new int[] {START, 2, 3, 4}, model.last.fed(0));
    assertArrayEquals(new int[] {START, 2, 3, 4}, model.last.fedByOrigin[0]);
    assertArrayEquals(new int[] {START, 4}, model.last.fedByOrigin[1]);
    assertEquals(1, model.last.rows());

    INDArray padded = out.padded(-1);
    assertEquals(DataType.INT64, padded.dataType());
    assertArrayEquals(new long[] {2, 4}, padded.shape());
    assertArrayEquals(new long[][] {{2, 3, 4, END}, {4, END, -1, -1}}, padded.toLongMatrix());
    assertEquals(4, out.length());
    assertEquals(2, out.rows());
  }

  @Test
  void rowsFinishingAtVeryDifferentStepsDecodeAsAloneAndLeaveTheSession() {
    int[][] sequences = {{}, {2, 3, 4, 5, 2, 3, 4, 5, 2, 3, 4, 5, 2, 3, 4, 5, 2, 3, 4, 5, 2, 3, 4, 5, 2}, {4},
        {2, 3}, {5, 5, 5, 5, 5, 5, 5, 5, 5}, {3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3, 3}};
    int[] kinds = {1, 0, 2, 5, 3, 4, 0, 2, 1};
    Table table = script(6, sequences);
    Fake batched = new Fake(6, 30, table);
    Decoded together = Decoding.greedy(batched, Fake.state(kinds));
    int alone = 0;
    for (int r = 0; r < kinds.length; r++) {
      Fake single = new Fake(6, 30, table);
      Decoded one = Decoding.greedy(single, Fake.state(kinds[r]));
      assertArrayEquals(one.tokens()[0], together.tokens()[r], "row " + r);
      assertEquals(one.logProbabilities()[0], together.logProbabilities()[r], "row " + r);
      alone += single.rowsStepped;
    }
    assertEquals(sequences[kinds[0]].length + 1, together.tokens()[0].length);
    assertEquals(26, batched.steps, "the longest row: 25 tokens and END");
    assertEquals(alone, batched.rowsStepped, "each row is stepped only until it has written END");
    assertTrue(batched.rowsStepped < kinds.length * batched.steps / 2);
  }

  @Test
  void beamRowsFinishingAtDifferentStepsSearchAsAloneAndLeaveTheSession() {
    int[] kinds = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
    for (int width : new int[] {1, 3}) {
      Table table = random(6, 5);
      Fake batched = new Fake(6, 14, table);
      Beams together = Decoding.beam(batched, Fake.state(kinds), width, 0.6);
      int alone = 0;
      int longest = 0;
      for (int r = 0; r < kinds.length; r++) {
        Fake single = new Fake(6, 14, table);
        Beams one = Decoding.beam(single, Fake.state(kinds[r]), width, 0.6);
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
  void greedyRowReachingMaxStepsStopsThereWithoutEnd() {
    Fake model = new Fake(5, 3, script(5, new int[] {2, 3, 4, 2, 3}, new int[] {4}));
    Decoded out = Decoding.greedy(model, Fake.state(0, 1));
    assertArrayEquals(new int[][] {{2, 3, 4}, {4, END}}, out.tokens());
    assertEquals(3, model.steps);
    assertArrayEquals(new long[][] {{2, 3, 4}, {4, END, 0}}, out.padded(0).toLongMatrix());
  }

  @Test
  void greedyTakesTheLowestIdOnTies() {
    Fake model = new Fake(4, 5, (kind, fed) -> fed.length == 1 ? new double[] {0, 0, 2, 2} : new double[] {0, 5, 0, 0});
    Decoded out = Decoding.greedy(model, Fake.state(0));
    assertArrayEquals(new int[][] {{A, END}}, out.tokens());
  }

  @Test
  void greedyReadsDoubleAndColumnMajorLogits() {
    Table table = random(7, 3);
    Decoded floats = Decoding.greedy(new Fake(7, 9, table), Fake.state(0, 1, 2, 3, 4));
    Fake columnMajor = new Fake(7, 9, table);
    columnMajor.order = 'f';
    assertEquals(floats, Decoding.greedy(columnMajor, Fake.state(0, 1, 2, 3, 4)));
    Fake doubles = new Fake(7, 9, table);
    doubles.logitsType = DataType.DOUBLE;
    Decoded d = Decoding.greedy(doubles, Fake.state(0, 1, 2, 3, 4));
    assertArrayEquals(floats.tokens(), d.tokens());
    assertArrayEquals(floats.logProbabilities(), d.logProbabilities(), 1e-5);
    for (int r = 0; r < 5; r++) {
      assertEquals(logProbability(table, r, floats.tokens()[r]), floats.logProbabilities()[r], 1e-12);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // beam search

  @Test
  void beamWidthOneIsExactlyGreedy() {
    int[] kinds = {0, 1, 2, 3, 4, 5, 6, 7};
    for (int maxSteps : new int[] {1, 3, 12}) {
      for (double alpha : new double[] {0, 0.6, 2}) {
        Table table = random(7, 11);
        Decoded greedy = Decoding.greedy(new Fake(7, maxSteps, table), Fake.state(kinds));
        Fake model = new Fake(7, maxSteps, table);
        Beams beams = Decoding.beam(model, Fake.state(kinds), 1, alpha);
        assertEquals(greedy, beams.best(), "maxSteps " + maxSteps + ", alpha " + alpha);
        for (int r = 0; r < kinds.length; r++) {
          assertEquals(1, beams.hypotheses(r).size());
        }
        assertTrue(model.steps <= maxSteps);
      }
    }
    // the case above must include rows that end and rows cut at maxSteps
    Decoded greedy = Decoding.greedy(new Fake(7, 3, random(7, 11)), Fake.state(kinds));
    assertTrue(Arrays.stream(greedy.tokens()).anyMatch(t -> t[t.length - 1] == END));
    assertTrue(Arrays.stream(greedy.tokens()).anyMatch(t -> t.length == 3 && t[2] != END));
    assertEquals(greedy, Decoding.beam(new Fake(7, 3, random(7, 11)), Fake.state(kinds), 1).best());
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
    Decoded greedy = Decoding.greedy(new Fake(6, 8, lookahead()), Fake.state(0, 1));
    assertArrayEquals(new int[][] {{A, X, END}, {A, END}}, greedy.tokens());
    assertEquals(Math.log(0.11), greedy.logProbabilities()[0], 1e-5);

    Fake single = new Fake(6, 8, lookahead());
    Decoding.beam(single, Fake.state(0), 2);
    assertEquals(3, single.steps, "both hypotheses have ended after 3 steps");

    Fake model = new Fake(6, 8, lookahead());
    Beams beams = Decoding.beam(model, Fake.state(0, 1), 2);
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

    Beams three = Decoding.beam(new Fake(6, 8, lookahead()), Fake.state(0, 1), 3);
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

    Fake plain = new Fake(4, 5, table);
    List<Hypothesis> byLogProbability = Decoding.beam(plain, Fake.state(0), 2, 0).hypotheses(0);
    assertEquals(2, byLogProbability.size());
    assertArrayEquals(new int[] {END}, byLogProbability.get(0).tokens());
    assertArrayEquals(new int[] {A, END}, byLogProbability.get(1).tokens());
    assertEquals(Math.log(0.4), byLogProbability.get(0).score(), 1e-6);
    assertEquals(Math.log(0.36), byLogProbability.get(1).score(), 1e-6);
    // A A (0.12) cannot beat log(0.36) any more: done after 2 steps
    assertEquals(2, plain.steps);

    Fake penalized = new Fake(4, 5, table);
    List<Hypothesis> normalized = Decoding.beam(penalized, Fake.state(0), 2).hypotheses(0);
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

      Fake model = new Fake(4, 3, table);
      List<Hypothesis> found = Decoding.beam(model, Fake.state(2), 40, alpha).hypotheses(0);
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
    Fake model = new Fake(6, maxSteps, table);
    Beams beams = Decoding.beam(model, Fake.state(kinds), 3);
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
    Fake model = new Fake(5, 3, script(5, new int[] {2, 3, 4, 2, 3}, new int[] {4}));
    Beams beams = Decoding.beam(model, Fake.state(0, 1), 2);
    assertEquals(3, model.steps);
    assertArrayEquals(new int[] {2, 3, 4}, beams.hypotheses(0).get(0).tokens());
    assertFalse(beams.hypotheses(0).get(0).endsWith(END));
    assertArrayEquals(new int[] {4, END}, beams.hypotheses(1).get(0).tokens());
  }

  // ---------------------------------------------------------------------------------------------
  // sampling

  @Test
  void samplingIsReproducibleWithTheSameSeed() {
    Table table = random(7, 23);
    int[] kinds = {0, 1, 2, 3, 4, 5};
    Decoded first = Decoding.sample(new Fake(7, 10, table), Fake.state(kinds), 1.0, 0, 7);
    Decoded again = Decoding.sample(new Fake(7, 10, table), Fake.state(kinds), 1.0, 0, 7);
    assertEquals(first, again);
    for (int r = 0; r < kinds.length; r++) {
      assertEquals(logProbability(table, r, first.tokens()[r]), first.logProbabilities()[r], 1e-12);
    }

    // A or B with equal probability, never END: 80 fair coin flips
    Table coin = probabilities(4, h -> p(4, A, 50, B, 50));
    Decoded seven = Decoding.sample(new Fake(4, 20, coin), Fake.state(0, 0, 0, 0), 1.0, 0, 7);
    Decoded eight = Decoding.sample(new Fake(4, 20, coin), Fake.state(0, 0, 0, 0), 1.0, 0, 8);
    assertFalse(Arrays.deepEquals(seven.tokens(), eight.tokens()));
    assertEquals(seven, Decoding.sample(new Fake(4, 20, coin), Fake.state(0, 0, 0, 0), 1.0, 0, 7));
    assertEquals(20, seven.length());
  }

  @Test
  void topKOneIsGreedy() {
    Table table = random(7, 29);
    int[] kinds = {0, 1, 2, 3, 4, 5, 6, 7};
    Decoded greedy = Decoding.greedy(new Fake(7, 10, table), Fake.state(kinds));
    for (double temperature : new double[] {0.3, 1, 5}) {
      assertEquals(greedy, Decoding.sample(new Fake(7, 10, table), Fake.state(kinds), temperature, 1, 99));
    }
  }

  /** Share of rows whose first token is {@code token}, over {@code rows} rows of kind 0. */
  private static double firstTokenShare(Table table, int rows, double temperature, int topK, int token) {
    Fake model = new Fake(5, 2, table);
    Decoded out = Decoding.sample(model, Fake.state(new int[rows]), temperature, topK, 42);
    assertTrue(model.steps <= 2);
    int count = 0;
    for (int[] t : out.tokens()) {
      assertTrue(t.length >= 1 && t.length <= 2);
      count += t[0] == token ? 1 : 0;
    }
    return count / (double) rows;
  }

  @Test
  void samplingFollowsTheTemperatureScaledSoftmaxAndTopK() {
    Table seventyThirty = probabilities(5, h -> h.length == 1 ? p(5, A, 70, B, 30) : p(5, END, 100));
    assertEquals(0.7, firstTokenShare(seventyThirty, 4000, 1, 0, A), 0.03);
    // temperature 2: weights sqrt(0.7) and sqrt(0.3): 0.604 for A
    double a = Math.sqrt(0.7) / (Math.sqrt(0.7) + Math.sqrt(0.3));
    assertEquals(a, firstTokenShare(seventyThirty, 4000, 2, 0, A), 0.03);
    // temperature 0.25: weights 0.7^4 and 0.3^4: 0.967 for A
    assertEquals(0.9677, firstTokenShare(seventyThirty, 4000, 0.25, 0, A), 0.015);

    Table three = probabilities(5, h -> h.length == 1 ? p(5, A, 50, B, 30, X, 20) : p(5, END, 100));
    assertEquals(0.2, firstTokenShare(three, 4000, 1, 0, X), 0.03);
    assertEquals(0, firstTokenShare(three, 4000, 1, 2, X));
    assertEquals(0.625, firstTokenShare(three, 4000, 1, 2, A), 0.03);
    assertEquals(0.2, firstTokenShare(three, 4000, 1, 5, X), 0.03); // topK >= vocabulary: everything
  }

  @Test
  void samplingNeverStepsPastMaxSteps() {
    Fake model = new Fake(4, 5, probabilities(4, h -> p(4, A, 50, B, 50)));
    Decoded out = Decoding.sample(model, Fake.state(0, 0, 0), 1.5, 0, 1);
    assertEquals(5, model.steps);
    for (int[] t : out.tokens()) {
      assertEquals(5, t.length);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // validation

  @Test
  void argumentsAreValidated() {
    Fake model = new Fake(5, 4, script(5, new int[] {2}));
    Fake.State state = Fake.state(0);
    assertMessage(
        "temperature must be a finite number > 0 but is 0.0; for temperature 0 (always the most likely token)"
            + " use Decoding.greedy",
        () -> Decoding.sample(model, state, 0, 0, 1));
    assertMessage("temperature must be a finite number > 0 but is -0.5", () -> Decoding.sample(model, state, -0.5, 0, 1));
    assertMessage("temperature must be a finite number > 0 but is NaN", () -> Decoding.sample(model, state, Double.NaN, 0, 1));
    assertMessage("temperature must be a finite number > 0 but is Infinity",
        () -> Decoding.sample(model, state, Double.POSITIVE_INFINITY, 0, 1));
    assertMessage("topK must be >= 0 (0: the whole vocabulary) but is -1", () -> Decoding.sample(model, state, 1, -1, 1));
    assertMessage("beam width must be >= 1 but is 0", () -> Decoding.beam(model, state, 0));
    assertMessage("length-penalty alpha must be a finite number >= 0 but is -0.1", () -> Decoding.beam(model, state, 2, -0.1));
    assertMessage("state must not be null (use the model's initialState or encode)", () -> Decoding.greedy(model, null));
    assertMessage("model must not be null", () -> Decoding.greedy(null, state));
    Fake.State empty = new Fake.State(Nd4j.create(DataType.FLOAT, 0, 1));
    assertMessage("state must hold at least one row but its batch is 0", () -> Decoding.greedy(model, empty));
    assertMessage("state must hold at least one row but its batch is 0", () -> Decoding.beam(model, empty, 3));
    assertMessage("the model's maxSteps() must be >= 1 but is 0",
        () -> Decoding.greedy(new Fake(5, 0, script(5, new int[] {2})), state));
    assertMessage("the model's endToken() 1 is outside its vocabulary [0, 1)",
        () -> Decoding.greedy(new Fake(1, 3, script(1, new int[] {0})), state));
    assertEquals(0, model.steps);
  }
}
