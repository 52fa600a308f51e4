package dev.unroll.runtime.generation;

import static dev.unroll.runtime.generation.FakeGenerator.A;
import static dev.unroll.runtime.generation.FakeGenerator.B;
import static dev.unroll.runtime.generation.FakeGenerator.END;
import static dev.unroll.runtime.generation.FakeGenerator.START;
import static dev.unroll.runtime.generation.FakeGenerator.X;
import static dev.unroll.runtime.generation.FakeGenerator.logProbability;
import static dev.unroll.runtime.generation.FakeGenerator.p;
import static dev.unroll.runtime.generation.FakeGenerator.probabilities;
import static dev.unroll.runtime.generation.FakeGenerator.random;
import static dev.unroll.runtime.generation.FakeGenerator.script;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.runtime.generation.FakeGenerator.Table;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** Greedy decoding, sampling and the checks of every loop, against a {@link FakeGenerator}. */
class DecodingTest {

  private static void assertMessage(String expected, Executable call) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    assertEquals(expected, e.getMessage());
  }

  // ---------------------------------------------------------------------------------------------
  // greedy

  @Test
  void greedyDecodesKnownSequencesEachRowStoppingAtItsOwnEnd() {
    FakeGenerator model = new FakeGenerator(5, 10, script(5, new int[] {2, 3, 4}, new int[] {4}));
    Decoded out = Decoding.greedy(model, FakeGenerator.state(0, 1));

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
    FakeGenerator batched = new FakeGenerator(6, 30, table);
    Decoded together = Decoding.greedy(batched, FakeGenerator.state(kinds));
    int alone = 0;
    for (int r = 0; r < kinds.length; r++) {
      FakeGenerator single = new FakeGenerator(6, 30, table);
      Decoded one = Decoding.greedy(single, FakeGenerator.state(kinds[r]));
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
  void greedyRowReachingMaxStepsStopsThereWithoutEnd() {
    FakeGenerator model = new FakeGenerator(5, 3, script(5, new int[] {2, 3, 4, 2, 3}, new int[] {4}));
    Decoded out = Decoding.greedy(model, FakeGenerator.state(0, 1));
    assertArrayEquals(new int[][] {{2, 3, 4}, {4, END}}, out.tokens());
    assertEquals(3, model.steps);
    assertArrayEquals(new long[][] {{2, 3, 4}, {4, END, 0}}, out.padded(0).toLongMatrix());
  }

  @Test
  void greedyTakesTheLowestIdOnTies() {
    FakeGenerator model = new FakeGenerator(4, 5, (kind, fed) -> fed.length == 1 ? new double[] {0, 0, 2, 2} : new double[] {0, 5, 0, 0});
    Decoded out = Decoding.greedy(model, FakeGenerator.state(0));
    assertArrayEquals(new int[][] {{A, END}}, out.tokens());
  }

  @Test
  void greedyReadsDoubleAndColumnMajorLogits() {
    Table table = random(7, 3);
    Decoded floats = Decoding.greedy(new FakeGenerator(7, 9, table), FakeGenerator.state(0, 1, 2, 3, 4));
    FakeGenerator columnMajor = new FakeGenerator(7, 9, table);
    columnMajor.order = 'f';
    assertEquals(floats, Decoding.greedy(columnMajor, FakeGenerator.state(0, 1, 2, 3, 4)));
    FakeGenerator doubles = new FakeGenerator(7, 9, table);
    doubles.logitsType = DataType.DOUBLE;
    Decoded d = Decoding.greedy(doubles, FakeGenerator.state(0, 1, 2, 3, 4));
    assertArrayEquals(floats.tokens(), d.tokens());
    assertArrayEquals(floats.logProbabilities(), d.logProbabilities(), 1e-5);
    for (int r = 0; r < 5; r++) {
      assertEquals(logProbability(table, r, floats.tokens()[r]), floats.logProbabilities()[r], 1e-12);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // sampling

  @Test
  void samplingIsReproducibleWithTheSameSeed() {
    Table table = random(7, 23);
    int[] kinds = {0, 1, 2, 3, 4, 5};
    Decoded first = Decoding.sample(new FakeGenerator(7, 10, table), FakeGenerator.state(kinds), 1.0, 0, 7);
    Decoded again = Decoding.sample(new FakeGenerator(7, 10, table), FakeGenerator.state(kinds), 1.0, 0, 7);
    assertEquals(first, again);
    for (int r = 0; r < kinds.length; r++) {
      assertEquals(logProbability(table, r, first.tokens()[r]), first.logProbabilities()[r], 1e-12);
    }

    // A or B with equal probability, never END: 80 fair coin flips
    Table coin = probabilities(4, h -> p(4, A, 50, B, 50));
    Decoded seven = Decoding.sample(new FakeGenerator(4, 20, coin), FakeGenerator.state(0, 0, 0, 0), 1.0, 0, 7);
    Decoded eight = Decoding.sample(new FakeGenerator(4, 20, coin), FakeGenerator.state(0, 0, 0, 0), 1.0, 0, 8);
    assertFalse(Arrays.deepEquals(seven.tokens(), eight.tokens()));
    assertEquals(seven, Decoding.sample(new FakeGenerator(4, 20, coin), FakeGenerator.state(0, 0, 0, 0), 1.0, 0, 7));
    assertEquals(20, seven.length());
  }

  @Test
  void topKOneIsGreedy() {
    Table table = random(7, 29);
    int[] kinds = {0, 1, 2, 3, 4, 5, 6, 7};
    Decoded greedy = Decoding.greedy(new FakeGenerator(7, 10, table), FakeGenerator.state(kinds));
    for (double temperature : new double[] {0.3, 1, 5}) {
      assertEquals(greedy, Decoding.sample(new FakeGenerator(7, 10, table), FakeGenerator.state(kinds), temperature, 1, 99));
    }
  }

  /** Share of rows whose first token is {@code token}, over {@code rows} rows of kind 0. */
  private static double firstTokenShare(Table table, int rows, double temperature, int topK, int token) {
    FakeGenerator model = new FakeGenerator(5, 2, table);
    Decoded out = Decoding.sample(model, FakeGenerator.state(new int[rows]), temperature, topK, 42);
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
    FakeGenerator model = new FakeGenerator(4, 5, probabilities(4, h -> p(4, A, 50, B, 50)));
    Decoded out = Decoding.sample(model, FakeGenerator.state(0, 0, 0), 1.5, 0, 1);
    assertEquals(5, model.steps);
    for (int[] t : out.tokens()) {
      assertEquals(5, t.length);
    }
  }

  // ---------------------------------------------------------------------------------------------
  // validation

  @Test
  void argumentsAreValidated() {
    FakeGenerator model = new FakeGenerator(5, 4, script(5, new int[] {2}));
    FakeGenerator.State state = FakeGenerator.state(0);
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
    FakeGenerator.State empty = new FakeGenerator.State(Nd4j.create(DataType.FLOAT, 0, 1));
    assertMessage("state must hold at least one row but its batch is 0", () -> Decoding.greedy(model, empty));
    assertMessage("state must hold at least one row but its batch is 0", () -> Decoding.beam(model, empty, 3));
    assertMessage("the model's maxSteps() must be >= 1 but is 0",
        () -> Decoding.greedy(new FakeGenerator(5, 0, script(5, new int[] {2})), state));
    assertMessage("the model's endToken() 1 is outside its vocabulary [0, 1)",
        () -> Decoding.greedy(new FakeGenerator(1, 3, script(1, new int[] {0})), state));
    assertEquals(0, model.steps);
  }
}
