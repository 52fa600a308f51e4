package dev.unroll.it.generation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.runtime.Gradients;
import dev.unroll.runtime.StatefulModel;
import dev.unroll.runtime.generation.Beams;
import dev.unroll.runtime.generation.Decoded;
import dev.unroll.runtime.generation.DecoderSession;
import dev.unroll.runtime.generation.Decoding;
import dev.unroll.training.optim.Adam;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Decoding on generated models: the step API and the decoding session agree with teacher-forced
 * forward passes; beam width 1 is greedy; sampling is reproducible; and models trained to known
 * sequences decode them exactly.
 */
class GenerationDecodingTest {
  private static final int PAD = 0;
  private static final int START = 1;
  private static final int END = 2;

  /** The sequences the memorizer learns, one per one-hot condition (END not included). */
  private static final int[][] MEMORIZED = {{3, 4, 5}, {6, 7, 3, 3}, {5}, {7, 6, 5, 4, 3}};

  /** The sources the reverser learns to reverse. */
  private static final int[][] SOURCES = {{3, 4, 5}, {6, 7}, {5, 3, 7, 4}, {4}, {7, 7, 3}, {6, 5, 4}};

  @Test
  void stepAndSessionMatchTeacherForcedForward() {
    UnrolledDecodingCases_Memorizer model = new UnrolledDecodingCases_Memorizer(7, DataType.DOUBLE);
    INDArray condition = Nd4j.rand(DataType.DOUBLE, 3, 4);
    long[][] tokens = {{START, 3, 4, 5}, {START, 6, 6, 2}, {START, 7, 3, 4}};
    INDArray tgtIn = Nd4j.createFromArray(tokens);
    INDArray logits = model.forward(condition, tgtIn);

    UnrolledDecodingCases_Memorizer.State state = model.initialState(condition);
    DecoderSession session = model.session(state, 2);
    assertEquals(6, session.rows());
    for (int t = 0; t < 4; t++) {
      INDArray column = tgtIn.getColumn(t).dup();
      StatefulModel.Step<UnrolledDecodingCases_Memorizer.State> step = model.step(column, state);
      int[] repeated = new int[6];
      for (int r = 0; r < 6; r++) {
        repeated[r] = (int) tokens[r / 2][t];
      }
      INDArray sessionLogits = session.step(repeated);
      for (int b = 0; b < 3; b++) {
        INDArray expected = logits.get(org.nd4j.linalg.indexing.NDArrayIndex.point(b),
            org.nd4j.linalg.indexing.NDArrayIndex.point(t), org.nd4j.linalg.indexing.NDArrayIndex.all());
        assertClose(expected, step.logits().getRow(b), "step logits row " + b + " step " + t);
        assertClose(expected, sessionLogits.getRow(2 * b), "session logits row " + 2 * b + " step " + t);
        assertClose(expected, sessionLogits.getRow(2 * b + 1), "session logits row " + (2 * b + 1) + " step " + t);
      }
      state = step.state();
    }
  }

  @Test
  void selectMovesStatesBetweenRows() {
    UnrolledDecodingCases_Reverser model = new UnrolledDecodingCases_Reverser(3, DataType.DOUBLE);
    INDArray src = Nd4j.createFromArray(new long[][] {{3, 4, 5}, {6, 7, PAD}});
    INDArray srcMask = Nd4j.createFromArray(new double[][] {{1, 1, 1}, {1, 1, 0}});
    DecoderSession session = model.session(model.encode(src, srcMask), 1);
    session.step(new int[] {START, START});
    INDArray beforeRow1 = session.step(new int[] {4, 4}).dup();
    // a second session, identical up to the swap
    DecoderSession swapped = model.session(model.encode(src, srcMask), 1);
    swapped.step(new int[] {START, START});
    swapped.select(new int[] {1, 1});
    INDArray after = swapped.step(new int[] {4, 4});
    assertClose(beforeRow1.getRow(1), after.getRow(0), "row 0 after select takes row 1's state");
    assertClose(beforeRow1.getRow(1), after.getRow(1), "row 1 keeps its state");
    assertThrows(IllegalArgumentException.class, () -> swapped.select(new int[] {0, 2}));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> swapped.step(new int[] {START, 8}));
    assertTrue(e.getMessage().contains("token id 8 of row 1 is outside the vocabulary"), e.getMessage());
  }

  @Test
  void selectWithFewerRowsDropsTheOthers() {
    // two LSTM layers (h and c per layer): every state array must follow the rows kept
    UnrolledDecodingCases_Memorizer model = new UnrolledDecodingCases_Memorizer(5, DataType.DOUBLE);
    INDArray condition = Nd4j.rand(DataType.DOUBLE, 3, 4);
    DecoderSession full = model.session(model.initialState(condition), 2);
    DecoderSession kept = model.session(model.initialState(condition), 2);
    int[] first = {START, START, START, START, START, START};
    full.step(first);
    kept.step(first);
    full.step(new int[] {3, 4, 5, 6, 7, 3});
    kept.step(new int[] {3, 4, 5, 6, 7, 3});
    kept.select(new int[] {4, 1, 4});
    assertEquals(3, kept.rows());
    INDArray all = full.step(new int[] {5, 6, 7, 3, 4, 5}).dup();
    INDArray some = kept.step(new int[] {4, 6, 4});
    assertArrayEquals(new long[] {3, 8}, some.shape());
    assertClose(all.getRow(4), some.getRow(0), "row 0 takes row 4's state");
    assertClose(all.getRow(1), some.getRow(1), "row 1 takes row 1's state");
    assertClose(all.getRow(4), some.getRow(2), "row 2 takes row 4's state");
    kept.select(new int[] {2});
    INDArray last = kept.step(new int[] {3});
    INDArray reference = full.step(new int[] {5, 6, 7, 3, 3, 5});
    assertClose(reference.getRow(4), last.getRow(0), "one row left");
    assertThrows(IllegalArgumentException.class, () -> kept.select(new int[] {0, 0}), "more rows than it has");
    assertThrows(IllegalArgumentException.class, () -> kept.select(new int[0]), "no row");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> kept.step(new int[] {3, 3}));
    assertTrue(e.getMessage().contains("tokens must hold one id per row, 1, but holds 2"), e.getMessage());
  }

  @Test
  void trainedOneToManyDecodesWhatItLearned() {
    UnrolledDecodingCases_Memorizer model = new UnrolledDecodingCases_Memorizer(11);
    INDArray condition = Nd4j.eye(4).castTo(DataType.FLOAT);
    long[][][] batch = teacherForcing(MEMORIZED);
    INDArray tgtIn = Nd4j.createFromArray(batch[0]);
    INDArray y = Nd4j.createFromArray(batch[1]);
    Adam adam = new Adam(0.02);
    double loss = Double.NaN;
    for (int i = 0; i < 300 && !(loss < 2e-3); i++) {
      Gradients g = model.gradients(condition, tgtIn, y);
      loss = g.loss();
      adam.step(model.parameters(), g.asMap());
    }
    assertTrue(loss < 2e-3, "training did not converge: loss " + loss);

    Decoded greedy = Decoding.greedy(model, model.initialState(condition));
    for (int b = 0; b < MEMORIZED.length; b++) {
      assertArrayEquals(withEnd(MEMORIZED[b]), greedy.tokens()[b], "greedy, condition " + b);
    }
    Beams beams = Decoding.beam(model, model.initialState(condition), 3);
    // same tokens; the log-probabilities agree to float32 rounding only (3 times the rows in each product)
    for (int r = 0; r < MEMORIZED.length; r++) {
      assertArrayEquals(greedy.tokens()[r], beams.best().tokens()[r], "beam width 3, condition " + r);
      assertEquals(greedy.logProbabilities()[r], beams.best().logProbabilities()[r], 1e-5);
    }
    assertEquals(greedy, Decoding.beam(model, model.initialState(condition), 1).best(), "beam width 1 is greedy");
    Decoded cold = Decoding.sample(model, model.initialState(condition), 0.05, 0, 5);
    assertEquals(greedy, cold, "sampling near temperature 0 reproduces the memorized sequences");
    Decoded padded = greedy;
    INDArray array = padded.padded(PAD);
    assertEquals(6, array.size(1), "longest row: 5 tokens and END");
    assertEquals(PAD, array.getLong(2, 2), "padding after the END of a short row");
  }

  @Test
  void trainedSeq2SeqReversesItsSources() {
    UnrolledDecodingCases_Reverser model = new UnrolledDecodingCases_Reverser(5);
    int width = Arrays.stream(SOURCES).mapToInt(s -> s.length).max().orElseThrow();
    long[][] src = new long[SOURCES.length][width];
    double[][] mask = new double[SOURCES.length][width];
    int[][] reversed = new int[SOURCES.length][];
    for (int b = 0; b < SOURCES.length; b++) {
      reversed[b] = new int[SOURCES[b].length];
      for (int t = 0; t < SOURCES[b].length; t++) {
        src[b][t] = SOURCES[b][t];
        mask[b][t] = 1;
        reversed[b][SOURCES[b].length - 1 - t] = SOURCES[b][t];
      }
    }
    INDArray source = Nd4j.createFromArray(src);
    INDArray srcMask = Nd4j.createFromArray(mask);
    long[][][] batch = teacherForcing(reversed);
    INDArray tgtIn = Nd4j.createFromArray(batch[0]);
    INDArray y = Nd4j.createFromArray(batch[1]);
    Adam adam = new Adam(0.02);
    double loss = Double.NaN;
    for (int i = 0; i < 400 && !(loss < 2e-3); i++) {
      Gradients g = model.gradients(source, srcMask, tgtIn, y);
      loss = g.loss();
      adam.step(model.parameters(), g.asMap());
    }
    assertTrue(loss < 2e-3, "training did not converge: loss " + loss);
    Decoded greedy = Decoding.greedy(model, model.encode(source, srcMask));
    for (int b = 0; b < SOURCES.length; b++) {
      assertArrayEquals(withEnd(reversed[b]), greedy.tokens()[b], "greedy, source " + Arrays.toString(SOURCES[b]));
    }
    assertEquals(greedy, Decoding.beam(model, model.encode(source, srcMask), 1).best(), "beam width 1 is greedy");
    // the rows finish at different steps and leave the session: each decodes as it would alone
    Beams beams = Decoding.beam(model, model.encode(source, srcMask), 3);
    for (int b = 0; b < SOURCES.length; b++) {
      INDArray one = source.getRows(b).dup();
      INDArray oneMask = srcMask.getRows(b).dup();
      Decoded alone = Decoding.greedy(model, model.encode(one, oneMask));
      assertArrayEquals(alone.tokens()[0], greedy.tokens()[b], "greedy alone, source " + b);
      assertEquals(alone.logProbabilities()[0], greedy.logProbabilities()[b], 1e-5, "greedy alone, source " + b);
      Beams beamsAlone = Decoding.beam(model, model.encode(one, oneMask), 3);
      for (int k = 0; k < beamsAlone.hypotheses(0).size(); k++) {
        assertArrayEquals(beamsAlone.hypotheses(0).get(k).tokens(), beams.hypotheses(b).get(k).tokens(),
            "beam alone, source " + b + ", hypothesis " + k);
        assertEquals(beamsAlone.hypotheses(0).get(k).logProbability(), beams.hypotheses(b).get(k).logProbability(),
            1e-5, "beam alone, source " + b + ", hypothesis " + k);
      }
    }
    Decoded a = Decoding.sample(model, model.encode(source, srcMask), 1.5, 0, 42);
    Decoded b = Decoding.sample(model, model.encode(source, srcMask), 1.5, 0, 42);
    assertEquals(a, b, "sampling with one seed is reproducible");
    for (int[] row : greedy.tokens()) {
      assertTrue(row.length <= model.maxSteps(), "never longer than maxSteps");
    }
  }

  @Test
  void dropoutActsInTrainingOnly() {
    UnrolledDecodingCases_Dropped model = new UnrolledDecodingCases_Dropped(9, DataType.DOUBLE);
    INDArray src = Nd4j.createFromArray(new long[][] {{3, 4, 5}, {5, 3, PAD}});
    INDArray srcMask = Nd4j.createFromArray(new double[][] {{1, 1, 1}, {1, 1, 0}});
    INDArray tgtIn = Nd4j.createFromArray(new long[][] {{START, 3, 4}, {START, 6, PAD}});
    INDArray y = Nd4j.createFromArray(new long[][] {{3, 4, END}, {6, END, -100}});
    assertClose(model.forward(src, srcMask, tgtIn), model.forward(src, srcMask, tgtIn), "evaluation is deterministic");
    model.seedDropout(1);
    double first = model.gradients(src, srcMask, tgtIn, y).loss();
    model.seedDropout(1);
    assertEquals(first, model.gradients(src, srcMask, tgtIn, y).loss(), "same dropout seed, same loss");
    model.seedDropout(2);
    assertTrue(first != model.gradients(src, srcMask, tgtIn, y).loss(), "another dropout seed, another loss");
    assertEquals(2, Decoding.greedy(model, model.encode(src, srcMask)).rows());
  }

  @Test
  void badInputsAreRefusedWithTheirShapes() {
    UnrolledDecodingCases_Reverser model = new UnrolledDecodingCases_Reverser(3);
    INDArray src = Nd4j.createFromArray(new long[][] {{3, 4, 5}, {6, 7, PAD}});
    INDArray srcMask = Nd4j.createFromArray(new double[][] {{1, 1, 1}, {1, 1, 0}});
    INDArray tgtIn = Nd4j.createFromArray(new long[][] {{START, 3}, {START, 6}});
    INDArray y = Nd4j.createFromArray(new long[][] {{3, END}, {6, END}});
    assertMessage("src must be [batch, time] integer token ids but is null",
        () -> model.gradients(null, srcMask, tgtIn, y));
    assertMessage("tgtIn has 1 rows but src has 2",
        () -> model.forward(src, srcMask, Nd4j.createFromArray(new long[][] {{START, 3}})));
    assertMessage("token id 9 at tgtIn[1, 1] is outside the vocabulary: ids must be in [0, 8)",
        () -> model.forward(src, srcMask, Nd4j.createFromArray(new long[][] {{START, 3}, {START, 9}})));
    assertMessage("y must be [2, 2] integer class ids",
        () -> model.gradients(src, srcMask, tgtIn, Nd4j.createFromArray(new long[][] {{3, END, -100}, {6, END, -100}})));
    assertMessage("mask must be [2, 3]", () -> model.encode(src, Nd4j.ones(2, 2)));
    UnrolledDecodingCases_Memorizer captioner = new UnrolledDecodingCases_Memorizer(3);
    assertMessage("condition must be [batch, 4] float but is [2, 5] FLOAT",
        () -> captioner.initialState(Nd4j.rand(DataType.FLOAT, 2, 5)));
    assertMessage("tokens must be [batch] integer token ids but is [2] FLOAT",
        () -> captioner.step(Nd4j.rand(DataType.FLOAT, 2), captioner.initialState(Nd4j.rand(DataType.FLOAT, 2, 4))));
  }

  private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable call) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    assertTrue(e.getMessage().contains(expected), "expected \"" + expected + "\" in: " + e.getMessage());
  }

  /** tgtIn (START, tokens, PAD...) and y (tokens, END, -100...) for sequences of different lengths. */
  private static long[][][] teacherForcing(int[][] sequences) {
    int steps = Arrays.stream(sequences).mapToInt(s -> s.length).max().orElseThrow() + 1;
    long[][] tgtIn = new long[sequences.length][steps];
    long[][] y = new long[sequences.length][steps];
    for (int b = 0; b < sequences.length; b++) {
      Arrays.fill(y[b], -100);
      tgtIn[b][0] = START;
      for (int t = 0; t < sequences[b].length; t++) {
        tgtIn[b][t + 1] = sequences[b][t];
        y[b][t] = sequences[b][t];
      }
      y[b][sequences[b].length] = END;
    }
    return new long[][][] {tgtIn, y};
  }

  private static int[] withEnd(int[] tokens) {
    int[] out = Arrays.copyOf(tokens, tokens.length + 1);
    out[tokens.length] = END;
    return out;
  }

  private static void assertClose(INDArray expected, INDArray actual, String what) {
    double err = expected.castTo(DataType.DOUBLE).sub(actual.castTo(DataType.DOUBLE)).norm2Number().doubleValue();
    assertTrue(err < 1e-10, what + ": difference " + err);
  }
}
