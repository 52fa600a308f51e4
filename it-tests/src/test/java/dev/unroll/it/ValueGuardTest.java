package dev.unroll.it;

import static dev.unroll.it.InputErrorsTest.classes;
import static dev.unroll.it.InputErrorsTest.features;
import static dev.unroll.it.InputErrorsTest.tokens;
import static dev.unroll.it.TestArrays.identical;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.runtime.Gradients;
import dev.unroll.runtime.RecurrentModel;
import dev.unroll.runtime.generation.DecoderSession;
import dev.unroll.runtime.generation.Decoding;
import dev.unroll.training.Sampler;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Values stay guarded end to end, per topology: out-of-range token ids (too large, negative, -100 as
 * a token), targets outside the classes (the documented -100 ignore index excepted), and wrong shapes
 * are refused through {@code gradients}, the step API, decoding sessions, the decoding loops and the
 * sampler's prime tokens. Each refusal is an {@link IllegalArgumentException} with the exact message
 * (what was expected and what was given), and the model gives the same numbers afterwards.
 */
class ValueGuardTest {

  /**
   * Asserts that {@code call} is refused with exactly {@code message}, and that {@code numbers} (the
   * model's results on good input: logits and gradients) are bit for bit what they were before.
   */
  private static void assertRefused(String message, Executable call, Supplier<List<INDArray>> numbers,
      List<INDArray> before) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call, message);
    assertEquals(message, e.getMessage());
    List<INDArray> after = numbers.get();
    for (int i = 0; i < before.size(); i++) {
      assertTrue(identical(before.get(i), after.get(i)), "result " + i + " changed after: " + message);
    }
  }

  private static List<INDArray> results(INDArray logits, Gradients g) {
    List<INDArray> out = new ArrayList<>();
    out.add(logits);
    out.add(Nd4j.scalar(g.loss()));
    out.addAll(g.asMap().values());
    return out;
  }

  private static INDArray ids(long[]... rows) {
    return Nd4j.createFromArray(rows);
  }

  // ---- many-to-one -----------------------------------------------------------------------------

  @Test
  void manyToOne() {
    RecurrentModel m = new UnrolledTestModels_TokenClassifier(1);  // vocab 10, 4 classes
    INDArray x = tokens(1, 3, 5, 10);
    INDArray y = classes(0, 3, 2);
    Supplier<List<INDArray>> numbers = () -> results(m.forward(x), m.gradients(x, y));
    List<INDArray> before = numbers.get();

    INDArray big = x.dup();
    big.putScalar(new long[] {2, 4}, 10);
    assertRefused("token id 10 at x[2, 4] is outside the vocabulary: ids must be in [0, 10)",
        () -> m.gradients(big, y), numbers, before);
    INDArray negative = x.dup();
    negative.putScalar(new long[] {0, 1}, -1);
    assertRefused("token id -1 at x[0, 1] is outside the vocabulary: ids must be in [0, 10)",
        () -> m.gradients(negative, y), numbers, before);
    INDArray ignoreIndex = x.dup();
    ignoreIndex.putScalar(new long[] {1, 0}, -100);
    assertRefused("token id -100 at x[1, 0] is outside the vocabulary: ids must be in [0, 10)",
        () -> m.gradients(ignoreIndex, y), numbers, before);
    long[][] wideIds = x.toLongMatrix();
    wideIds[1][2] = (1L << 32) + 3;  // not token 3: ids are checked before any narrowing to int
    INDArray wide = Nd4j.createFromArray(wideIds);
    assertRefused("token id 4294967299 at x[1, 2] is outside the vocabulary: ids must be in [0, 10)",
        () -> m.gradients(wide, y), numbers, before);

    String classRule = ", which is not a class id: the model has 4 classes (0 to 3), and -100 ignores a target";
    assertRefused("y[1] is 4" + classRule, () -> m.gradients(x, classes(0, 4, 2)), numbers, before);
    assertRefused("y[2] is -1" + classRule, () -> m.gradients(x, classes(0, 3, -1)), numbers, before);
    assertRefused("y[0] is -99" + classRule, () -> m.gradients(x, classes(-99, 3, 2)), numbers, before);
    assertRefused("y must be [3] integer class ids (one per sequence) but is [3, 5] LONG",
        () -> m.gradients(x, tokens(2, 3, 5, 4)), numbers, before);
    assertRefused("y must be [3] integer class ids (one per sequence) but is [2] LONG",
        () -> m.gradients(x, classes(0, 1)), numbers, before);
    assertRefused("y must be [3] integer class ids (one per sequence) but is [3] FLOAT",
        () -> m.gradients(x, classes(0, 1, 2).castTo(DataType.FLOAT)), numbers, before);
    assertRefused("x must be [batch, time] integer token ids but is [3, 5] FLOAT: convert it with"
        + " x.castTo(DataType.INT64)", () -> m.gradients(x.castTo(DataType.FLOAT), y), numbers, before);

    // -100 is the ignore index for targets: accepted, and that row adds nothing to the loss
    Gradients ignored = m.gradients(x, classes(0, -100, 2));
    Gradients twoRows = m.gradients(x.getRows(0, 2), classes(0, 2));
    assertEquals(twoRows.loss(), ignored.loss(), 1e-6, "an ignored target counts for nothing");
  }

  @Test
  void manyToOneFeatures() {
    RecurrentModel m = new UnrolledTestModels_Classifier(2);  // 9 features, 3 classes
    INDArray x = features(1, 3, 5, 9);
    INDArray y = classes(0, 2, 1);
    Supplier<List<INDArray>> numbers = () -> results(m.forward(x), m.gradients(x, y));
    List<INDArray> before = numbers.get();
    assertRefused("x must be [batch, time, 9] float but is [3, 5, 8] FLOAT: the model reads 9 features per step",
        () -> m.gradients(features(1, 3, 5, 8), y), numbers, before);
    assertRefused("y[0] is 3, which is not a class id: the model has 3 classes (0 to 2), and -100 ignores a target",
        () -> m.gradients(x, classes(3, 2, 1)), numbers, before);
    assertRefused("mask must be [3, 5] (batch, steps) of 0 and 1 but is [3, 4] FLOAT",
        () -> m.gradients(x, y, Nd4j.ones(DataType.FLOAT, 3, 4)), numbers, before);
    // a NaN at a padded step is refused too: ∂L/∂W_ih sums x over every row, padded ones included
    INDArray padded = x.dup();
    padded.putScalar(new long[] {1, 4, 2}, Float.NaN);
    INDArray mask = Nd4j.createFromArray(new float[][] {{1, 1, 1, 1, 1}, {1, 1, 1, 0, 0}, {1, 1, 1, 1, 1}});
    assertRefused("x[1, 4, 2] is NaN: features must be finite numbers, padded steps included (one NaN or"
        + " infinity makes every gradient NaN); replace it, e.g. with 0 at a padded step",
        () -> m.gradients(padded, y, mask), numbers, before);
  }

  // ---- many-to-many ----------------------------------------------------------------------------

  @Test
  void manyToMany() {
    UnrolledGuardModels_LanguageModel m = new UnrolledGuardModels_LanguageModel(3);  // vocab 12 = outputs
    INDArray x = tokens(3, 2, 6, 12);
    INDArray y = tokens(4, 2, 6, 12);
    Supplier<List<INDArray>> numbers = () -> {
      List<INDArray> out = results(m.forward(x), m.gradients(x, y));
      out.addAll(m.gradients(x, y, null, m.initialState(2), 3).gradients().asMap().values());
      return out;
    };
    List<INDArray> before = numbers.get();

    INDArray big = x.dup();
    big.putScalar(new long[] {1, 5}, 12);
    assertRefused("token id 12 at x[1, 5] is outside the vocabulary: ids must be in [0, 12)",
        () -> m.gradients(big, y), numbers, before);
    assertRefused("token id 12 at x[1, 5] is outside the vocabulary: ids must be in [0, 12)",
        () -> m.gradients(big, y, null, m.initialState(2), 3), numbers, before);
    INDArray negative = x.dup();
    negative.putScalar(new long[] {0, 0}, -5);
    assertRefused("token id -5 at x[0, 0] is outside the vocabulary: ids must be in [0, 12)",
        () -> m.gradients(negative, y), numbers, before);

    String classRule = ", which is not a class id: the model has 12 classes (0 to 11), and -100 ignores a target";
    INDArray badTarget = y.dup();
    badTarget.putScalar(new long[] {1, 3}, 12);
    assertRefused("y[1, 3] is 12" + classRule, () -> m.gradients(x, badTarget), numbers, before);
    assertRefused("y[1, 3] is 12" + classRule, () -> m.gradients(x, badTarget, null, m.initialState(2), 6),
        numbers, before);
    INDArray negativeTarget = y.dup();
    negativeTarget.putScalar(new long[] {0, 2}, -101);
    assertRefused("y[0, 2] is -101" + classRule, () -> m.gradients(x, negativeTarget), numbers, before);
    assertRefused("y must be [2, 6] integer class ids (one per step, -100 to ignore) but is [2, 5] LONG",
        () -> m.gradients(x, tokens(4, 2, 5, 12)), numbers, before);
    assertRefused("y must be [2, 6] integer class ids (one per step, -100 to ignore) but is [2] LONG",
        () -> m.gradients(x, classes(1, 2)), numbers, before);
    assertRefused("state h0 must be [2, 6] (batch of x, HIDDEN) but is [3, 6] FLOAT",
        () -> m.gradients(x, y, null, m.initialState(3), 3), numbers, before);
    assertRefused("backSteps (k2 of truncated BPTT) must be at least 1 but is 0; pass the chunk length for full"
        + " backpropagation through the chunk", () -> m.gradients(x, y, null, m.initialState(2), 0), numbers, before);

    // -100 targets are ignored: a target row of -100 only contributes nothing
    INDArray ignoreAll = y.dup();
    ignoreAll.getRow(1).assign(-100);
    Gradients partial = m.gradients(x, ignoreAll);
    Gradients firstRow = m.gradients(x.getRows(0), y.getRows(0));
    assertEquals(firstRow.loss(), partial.loss(), 1e-6, "ignored targets count for nothing");
  }

  @Test
  void samplerPrimeTokens() {
    UnrolledGuardModels_LanguageModel m = new UnrolledGuardModels_LanguageModel(3);
    Sampler<UnrolledGuardModels_LanguageModel.State> sampler = new Sampler<>(m);
    Sampler.Options options = Sampler.Options.greedy(5);
    Supplier<List<INDArray>> numbers = () -> List.of(Nd4j.createFromArray(sampler.sample(new int[] {3, 4}, options)),
        m.forward(tokens(1, 2, 4, 12)));
    List<INDArray> before = numbers.get();
    assertRefused("priming token 12 at position 1 is outside the vocabulary [0, 12)",
        () -> sampler.sample(new int[] {3, 12}, options), numbers, before);
    assertRefused("priming token -1 at position 0 is outside the vocabulary [0, 12)",
        () -> sampler.sample(new int[] {-1, 4}, options), numbers, before);
    assertRefused("sampling needs at least one priming token", () -> sampler.sample(new int[0], options), numbers,
        before);
  }

  // ---- one-to-many -----------------------------------------------------------------------------

  @Test
  void oneToMany() {
    UnrolledGuardModels_Captioner m = new UnrolledGuardModels_Captioner(4);  // condition 3, vocab 9
    INDArray condition = features(2, 2, 1, 3).reshape(2, 3);
    INDArray tgtIn = ids(new long[] {1, 4, 5, 6}, new long[] {1, 7, 8, 3});
    INDArray y = ids(new long[] {4, 5, 6, 2}, new long[] {7, 8, 2, -100});
    UnrolledGuardModels_Captioner.State state = m.initialState(condition);
    Supplier<List<INDArray>> numbers = () -> {
      List<INDArray> out = results(m.forward(condition, tgtIn), m.gradients(condition, tgtIn, y));
      out.add(m.step(Nd4j.createFromArray(1L, 1L), state).logits());
      out.add(Decoding.greedy(m, m.initialState(condition)).padded(0));
      return out;
    };
    List<INDArray> before = numbers.get();

    assertRefused("token id 9 at tgtIn[0, 2] is outside the vocabulary: ids must be in [0, 9)",
        () -> m.gradients(condition, ids(new long[] {1, 4, 9, 6}, new long[] {1, 7, 8, 3}), y), numbers, before);
    INDArray infinite = condition.dup();
    infinite.putScalar(new long[] {1, 2}, Float.POSITIVE_INFINITY);
    assertRefused("condition[1, 2] is Infinity: a condition must hold finite numbers (one NaN or infinity makes"
        + " every gradient NaN)", () -> m.gradients(infinite, tgtIn, y), numbers, before);
    assertRefused("token id -100 at tgtIn[1, 3] is outside the vocabulary: ids must be in [0, 9)",
        () -> m.gradients(condition, y, y), numbers, before);
    String classRule = ", which is not a class id: the model has 9 classes (0 to 8), and -100 ignores a target";
    assertRefused("y[1, 1] is 9" + classRule,
        () -> m.gradients(condition, tgtIn, ids(new long[] {4, 5, 6, 2}, new long[] {7, 9, 2, -100})), numbers, before);
    assertRefused("y[0, 0] is -2" + classRule,
        () -> m.gradients(condition, tgtIn, ids(new long[] {-2, 5, 6, 2}, new long[] {7, 8, 2, -100})), numbers, before);
    assertRefused("y must be [2, 4] integer class ids (one per step, -100 to ignore) but is [2, 3] LONG",
        () -> m.gradients(condition, tgtIn, tgtIn.getColumns(0, 1, 2).dup()), numbers, before);
    assertRefused("condition must be [batch, 3] float but is [2, 4] FLOAT: the model reads 3 values per row"
        + " (@Condition(3))", () -> m.gradients(features(2, 2, 1, 4).reshape(2, 4), tgtIn, y), numbers, before);
    assertRefused("tgtIn has 2 rows but condition has 3; both describe the same batch, row by row",
        () -> m.gradients(features(2, 3, 1, 3).reshape(3, 3), tgtIn, y), numbers, before);

    // the step API and decoding
    assertRefused("token id 9 of row 1 is outside the vocabulary: ids must be in [0, 9)",
        () -> m.step(Nd4j.createFromArray(1L, 9L), state), numbers, before);
    assertRefused("token id -1 of row 0 is outside the vocabulary: ids must be in [0, 9)",
        () -> m.step(Nd4j.createFromArray(-1L, 1L), state), numbers, before);
    assertRefused("state h0 must be [3, 5] (batch of x, HIDDEN) but is [2, 5] FLOAT",
        () -> m.step(Nd4j.createFromArray(1L, 1L, 1L), state), numbers, before);
    DecoderSession session = m.session(state, 2);
    assertRefused("token id 9 of row 3 is outside the vocabulary: ids must be in [0, 9)",
        () -> session.step(new int[] {1, 1, 1, 9}), numbers, before);
    assertRefused("tokens must hold one id per row, 4, but holds 2",
        () -> session.step(new int[] {1, 1}), numbers, before);
    assertRefused("state h0 must be [2, 5] (batch of x, HIDDEN) but is [2, 4] FLOAT",
        () -> Decoding.greedy(m, new UnrolledGuardModels_Captioner.State(Nd4j.zeros(DataType.FLOAT, 2, 4))),
        numbers, before);
    assertRefused("beam width must be >= 1 but is 0", () -> Decoding.beam(m, state, 0), numbers, before);
    assertRefused("temperature must be a finite number > 0 but is NaN",
        () -> Decoding.sample(m, state, Double.NaN, 0, 1), numbers, before);
  }

  // ---- encoder-decoder -------------------------------------------------------------------------

  @Test
  void seq2seq() {
    UnrolledGuardModels_Translator m = new UnrolledGuardModels_Translator(5);  // source vocab 11, target vocab 9
    INDArray src = ids(new long[] {3, 4, 5, 10}, new long[] {6, 7, 0, 0});
    INDArray srcMask = InputErrorsTest.mask(new double[] {1, 1, 1, 1}, new double[] {1, 1, 0, 0});
    INDArray tgtIn = ids(new long[] {1, 4, 5}, new long[] {1, 8, 3});
    INDArray y = ids(new long[] {4, 5, 2}, new long[] {8, 3, 2});
    UnrolledGuardModels_Translator.State state = m.encode(src, srcMask);
    Supplier<List<INDArray>> numbers = () -> {
      List<INDArray> out = results(m.forward(src, srcMask, tgtIn), m.gradients(src, srcMask, tgtIn, y));
      out.add(m.step(Nd4j.createFromArray(1L, 1L), m.encode(src, srcMask)).logits());
      out.add(Decoding.beam(m, m.encode(src, srcMask), 2).padded(0));
      return out;
    };
    List<INDArray> before = numbers.get();

    assertRefused("token id 11 at src[1, 2] is outside the vocabulary: ids must be in [0, 11)",
        () -> m.gradients(ids(new long[] {3, 4, 5, 10}, new long[] {6, 7, 11, 0}), srcMask, tgtIn, y), numbers, before);
    assertRefused("token id -1 at src[0, 0] is outside the vocabulary: ids must be in [0, 11)",
        () -> m.encode(ids(new long[] {-1, 4, 5, 10}, new long[] {6, 7, 0, 0}), srcMask), numbers, before);
    // the source vocabulary is larger: a source id the decoder does not know
    assertRefused("token id 10 at tgtIn[0, 1] is outside the vocabulary: ids must be in [0, 9)",
        () -> m.gradients(src, srcMask, ids(new long[] {1, 10, 5}, new long[] {1, 8, 3}), y), numbers, before);
    String classRule = ", which is not a class id: the model has 9 classes (0 to 8), and -100 ignores a target";
    assertRefused("y[0, 2] is 9" + classRule,
        () -> m.gradients(src, srcMask, tgtIn, ids(new long[] {4, 5, 9}, new long[] {8, 3, 2})), numbers, before);
    assertRefused("y[1, 0] is -3" + classRule,
        () -> m.gradients(src, srcMask, tgtIn, ids(new long[] {4, 5, 2}, new long[] {-3, 3, 2})), numbers, before);
    assertRefused("y must be [2, 3] integer class ids (one per step, -100 to ignore) but is [2, 4] LONG",
        () -> m.gradients(src, srcMask, tgtIn, src), numbers, before);
    assertRefused("tgtIn has 1 rows but src has 2; both describe the same batch, row by row",
        () -> m.gradients(src, srcMask, tgtIn.getRows(0), y.getRows(0)), numbers, before);
    assertRefused("mask must be [2, 4] (batch, steps) of 0 and 1 but is [2, 3] FLOAT",
        () -> m.gradients(src, srcMask.getColumns(0, 1, 2).dup(), tgtIn, y), numbers, before);
    assertRefused("row 1 of the mask is not a prefix of ones: 1 at step 3 after a 0 at step 2; pad sequences at"
        + " the end", () -> m.encode(src, InputErrorsTest.mask(new double[] {1, 1, 1, 1}, new double[] {1, 1, 0, 1})),
        numbers, before);

    // the step API and decoding
    assertRefused("token id 9 of row 0 is outside the vocabulary: ids must be in [0, 9)",
        () -> m.step(Nd4j.createFromArray(9L, 1L), state), numbers, before);
    assertRefused("tokens must be [batch] integer token ids but is [2] FLOAT: convert it with"
        + " tokens.castTo(DataType.INT64)", () -> m.step(Nd4j.createFromArray(1f, 1f), state), numbers, before);
    DecoderSession session = m.session(state, 3);
    assertRefused("token id -100 of row 5 is outside the vocabulary: ids must be in [0, 9)",
        () -> session.step(new int[] {1, 1, 1, 1, 1, -100}), numbers, before);
    assertRefused("state c0 must be [2, 5] (batch of x, HIDDEN) but is [1, 5] FLOAT",
        () -> Decoding.greedy(m, new UnrolledGuardModels_Translator.State(state.h0(), state.c0().getRows(0))),
        numbers, before);
    assertRefused("a session needs a state and copies >= 1; got copies = 0", () -> m.session(state, 0), numbers,
        before);
  }
}
