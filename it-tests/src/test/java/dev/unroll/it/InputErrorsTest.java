package dev.unroll.it;

import static dev.unroll.it.TestArrays.identical;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.runtime.Gradients;
import dev.unroll.runtime.RecurrentModel;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Run-time input checks of the generated models (an {@link IllegalArgumentException} whose message
 * names what was expected and what was given), ownership of results, and replicas.
 */
class InputErrorsTest {

  static final int B = 4;
  static final int T = 7;
  static final int F = 9;

  /** {@code [B, T, F]} features with values in [-1, 1]. */
  static INDArray features(long seed, int b, int t, int f) {
    Random rnd = new Random(seed);
    double[][][] v = new double[b][t][f];
    for (double[][] row : v) {
      for (double[] step : row) {
        for (int k = 0; k < f; k++) {
          step[k] = 2 * rnd.nextDouble() - 1;
        }
      }
    }
    return Nd4j.createFromArray(v).castTo(DataType.FLOAT);
  }

  /** {@code [b, t]} token ids below {@code vocab}. */
  static INDArray tokens(long seed, int b, int t, int vocab) {
    Random rnd = new Random(seed);
    long[][] ids = new long[b][t];
    for (long[] row : ids) {
      for (int k = 0; k < t; k++) {
        row[k] = rnd.nextInt(vocab);
      }
    }
    return Nd4j.createFromArray(ids);
  }

  /** A {@code [B, T]} float mask from per-row 0/1 patterns. */
  static INDArray mask(double[]... rows) {
    return Nd4j.createFromArray(rows).castTo(DataType.FLOAT);
  }

  static double[] prefix(int valid, int t) {
    double[] row = new double[t];
    Arrays.fill(row, 0, valid, 1);
    return row;
  }

  static INDArray classes(long... ids) {
    return Nd4j.createFromArray(ids);
  }

  /**
   * Whether the text mentions the number on its own (not as part of a longer number), as in
   * "[4, 7, 13]" or "13 features".
   */
  static boolean mentions(String text, long number) {
    return Pattern.compile("(?<![0-9.])" + number + "(?![0-9])").matcher(text).find();
  }

  /** Whether the text shows the shape as "[4, 7, 9]" or mentions every one of its numbers. */
  static boolean mentionsShape(String text, long... shape) {
    if (text.contains(Arrays.toString(shape))) {
      return true;
    }
    for (long n : shape) {
      if (!mentions(text, n)) {
        return false;
      }
    }
    return true;
  }

  /** Asserts an IllegalArgumentException whose message mentions every given number; returns the message. */
  static String assertRejected(String what, Executable call, long... numbers) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call, what);
    String msg = e.getMessage();
    assertNotNull(msg, what + ": exception without a message");
    for (long n : numbers) {
      assertTrue(mentions(msg, n), what + ": the message should mention " + n + ": " + msg);
    }
    return msg;
  }

  // ---- wrong inputs -------------------------------------------------------------------------------

  @Test
  void wrongRank() {
    RecurrentModel m = new UnrolledTestModels_Classifier(0);
    INDArray flatX = features(1, B, T, F).reshape(B, (long) T * F); // [4, 63]
    String msg = assertRejected("forward of a rank-2 x", () -> m.forward(flatX));
    assertTrue(mentionsShape(msg, B, (long) T * F), "the message should show the actual shape [4, 63]: " + msg);
    assertTrue(mentions(msg, 3) || mentions(msg, F), "the message should say what was expected (rank 3 / "
        + F + " features): " + msg);

    INDArray rank4 = features(1, B, T, F).reshape(B, T, F, 1);
    msg = assertRejected("gradients of a rank-4 x", () -> m.gradients(rank4, classes(0, 1, 2, 0)));
    assertTrue(mentionsShape(msg, B, T, F, 1), "the message should show the actual shape [4, 7, 9, 1]: " + msg);
  }

  @Test
  void wrongFeatureCount() {
    RecurrentModel m = new UnrolledTestModels_Classifier(0);
    INDArray x = features(1, B, T, 13);
    assertRejected("forward of [4, 7, 13] into @Features(9)", () -> m.forward(x), 13, F);
    assertRejected("gradients of [4, 7, 13] into @Features(9)", () -> m.gradients(x, classes(0, 1, 2, 0)), 13, F);
    INDArray mask = mask(prefix(7, T), prefix(7, T), prefix(7, T), prefix(7, T));
    assertRejected("masked forward of [4, 7, 13]", () -> m.forward(x, mask), 13, F);
  }

  @Test
  void maskOfWrongShape() {
    RecurrentModel m = new UnrolledTestModels_Classifier(0);
    INDArray x = features(1, B, T, F);
    INDArray shortMask = mask(prefix(6, 6), prefix(6, 6), prefix(6, 6), prefix(6, 6)); // [4, 6]
    assertRejected("a [4, 6] mask for [4, 7, 9]", () -> m.forward(x, shortMask), 6, T);
    assertRejected("a [4, 6] mask for [4, 7, 9] (gradients)",
        () -> m.gradients(x, classes(0, 1, 2, 0), shortMask), 6, T);
    INDArray tallMask = mask(prefix(7, T), prefix(7, T), prefix(7, T), prefix(7, T), prefix(7, T)); // [5, 7]
    assertRejected("a [5, 7] mask for [4, 7, 9]", () -> m.forward(x, tallMask), 5, B);
    INDArray rank3Mask = tallMask.reshape(5, 7, 1);
    assertRejected("a [5, 7, 1] mask for [4, 7, 9]", () -> m.forward(x, rank3Mask));
  }

  @Test
  void maskRowWithoutValidSteps() {
    RecurrentModel m = new UnrolledTestModels_Classifier(0);
    INDArray x = features(1, B, T, F);
    INDArray mask = mask(prefix(7, T), prefix(3, T), prefix(0, T), prefix(5, T));
    assertRejected("a mask whose row 2 is all zeros", () -> m.forward(x, mask), 2);
    assertRejected("a mask whose row 2 is all zeros (gradients)",
        () -> m.gradients(x, classes(0, 1, 2, 0), mask), 2);
  }

  @Test
  void maskRowThatIsNotAPrefix() {
    RecurrentModel m = new UnrolledTestModels_Classifier(0);
    INDArray x = features(1, B, T, F);
    INDArray mask = mask(prefix(7, T), new double[] {1, 1, 0, 1, 0, 0, 0}, prefix(2, T), prefix(5, T));
    assertRejected("a mask whose row 1 has a gap", () -> m.forward(x, mask), 1);
    assertRejected("a mask whose row 1 has a gap (gradients)",
        () -> m.gradients(x, classes(0, 1, 2, 0), mask), 1);
  }

  @Test
  void targetIdNotBelowOutput() {
    RecurrentModel m = new UnrolledTestModels_Classifier(0);
    INDArray x = features(1, B, T, F);
    assertRejected("target 5 with @Output(3)", () -> m.gradients(x, classes(0, 5, 1, 2)), 5, 3);
    assertRejected("target 3 with @Output(3)", () -> m.gradients(x, classes(0, 1, 3, 2)), 3);

    RecurrentModel tagger = new UnrolledTestModels_TokenTagger(0);
    INDArray ids = tokens(2, B, T, 10);
    long[][] y = new long[B][T];
    y[3][4] = 8;
    assertRejected("target 8 with @Output(6)", () -> tagger.gradients(ids, Nd4j.createFromArray(y)), 8, 6);
  }

  @Test
  void tokenIdNotBelowVocabulary() {
    RecurrentModel tagger = new UnrolledTestModels_TokenTagger(0);
    INDArray ids = tokens(2, B, T, 10);
    ids.putScalar(new long[] {1, 3}, 12);
    assertRejected("token 12 with vocab 10", () -> tagger.forward(ids), 12, 10);
    long[][] y = new long[B][T];
    assertRejected("token 12 with vocab 10 (gradients)",
        () -> tagger.gradients(ids, Nd4j.createFromArray(y)), 12, 10);
    ids.putScalar(new long[] {1, 3}, -1);
    assertRejected("token -1", () -> tagger.forward(ids));
  }

  @Test
  void wrongStepCountForAFullyUnrolledModel() {
    RecurrentModel m = new UnrolledTestModels_FixedSteps(0);
    INDArray x = features(1, B, 5, F);
    assertRejected("5 steps into @Unroll(steps = 7)", () -> m.forward(x), 5, 7);
    assertRejected("5 steps into @Unroll(steps = 7) (gradients)", () -> m.gradients(x, classes(0, 1, 2, 0)), 5, 7);
    INDArray mask = mask(prefix(5, 5), prefix(5, 5), prefix(5, 5), prefix(5, 5));
    assertRejected("5 steps into @Unroll(steps = 7) (masked)", () -> m.forward(x, mask), 5, 7);
    // and the right length works
    assertTrue(m.forward(features(1, B, T, F)).length() == (long) B * 3);
  }

  // ---- ownership of results and replicas ----------------------------------------------------------

  /** A model with a matching input and target, and a second, different input and target. */
  record Probe(String name, RecurrentModel model, INDArray x1, INDArray y1, INDArray x2, INDArray y2) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Probe> probes() {
    Map<String, Probe> out = new LinkedHashMap<>();
    out.put("Classifier", new Probe("Classifier", new UnrolledTestModels_Classifier(3),
        features(1, B, T, F), classes(0, 1, 2, 1), features(2, B, T, F), classes(2, 2, 0, 1)));
    out.put("FixedSteps", new Probe("FixedSteps", new UnrolledTestModels_FixedSteps(3),
        features(1, B, T, F), classes(0, 1, 2, 1), features(2, B, T, F), classes(2, 2, 0, 1)));
    out.put("TokenTagger", new Probe("TokenTagger", new UnrolledTestModels_TokenTagger(3),
        tokens(1, B, T, 10), tokens(3, B, T, 6), tokens(2, B, T, 10), tokens(4, B, T, 6)));
    out.put("DeepTagger", new Probe("DeepTagger", new UnrolledTestModels_DeepTagger(3, DataType.DOUBLE),
        features(1, 2, 5, 7).castTo(DataType.DOUBLE), tokens(3, 2, 5, 3),
        features(2, 2, 5, 7).castTo(DataType.DOUBLE), tokens(4, 2, 5, 3)));
    return out.values().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("probes")
  void resultsBelongToTheCaller(Probe p) {
    RecurrentModel m = p.model();
    INDArray first = m.forward(p.x1());
    INDArray firstCopy = first.dup();
    INDArray second = m.forward(p.x2());
    assertFalse(identical(first, second), p.name() + ": different inputs gave the same logits");
    assertTrue(identical(first, firstCopy), p.name() + ": the first forward result changed with the second call");
    m.gradients(p.x2(), p.y2());
    assertTrue(identical(first, firstCopy), p.name() + ": the first forward result changed with gradients()");

    Gradients g1 = m.gradients(p.x1(), p.y1());
    Map<String, INDArray> copies = new LinkedHashMap<>();
    g1.asMap().forEach((k, v) -> copies.put(k, v.dup()));
    Gradients g2 = m.gradients(p.x2(), p.y2());
    assertFalse(g1.loss() == g2.loss(), p.name() + ": different batches gave the same loss");
    copies.forEach((k, v) ->
        assertTrue(identical(v, g1.get(k)), p.name() + ": gradient " + k + " changed with the next call"));
    m.forward(p.x2());
    copies.forEach((k, v) ->
        assertTrue(identical(v, g1.get(k)), p.name() + ": gradient " + k + " changed with forward()"));

    // The inputs are not written to either.
    INDArray x1 = p.x1().dup();
    m.forward(p.x1());
    m.gradients(p.x1(), p.y1());
    assertTrue(identical(x1, p.x1()), p.name() + ": x changed");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("probes")
  void replicaSharesParameters(Probe p) {
    RecurrentModel m = p.model();
    RecurrentModel r = m.replica();
    assertNotSame(m, r);
    assertSame(m.getClass(), r.getClass());
    assertSame(m.dataType(), r.dataType());
    assertTrue(m.config().equals(r.config()), p.name() + ": config");
    assertTrue(m.parameters().keySet().equals(r.parameters().keySet()), p.name() + ": parameter names");

    INDArray before = m.forward(p.x1());
    assertTrue(identical(before, r.forward(p.x1())), p.name() + ": replica gives other logits");
    assertTrue(m.gradients(p.x1(), p.y1()).loss() == r.gradients(p.x1(), p.y1()).loss(),
        p.name() + ": replica gives another loss");

    // An update through the replica is seen by the original ...
    INDArray biasSeenByOriginal = m.parameters().get("fc.bias");
    INDArray expected = biasSeenByOriginal.dup().addi(0.5);
    r.parameters().get("fc.bias").addi(0.5);
    assertTrue(identical(expected, m.parameters().get("fc.bias")), p.name() + ": update through the replica not seen");
    INDArray after = m.forward(p.x1());
    assertFalse(identical(before, after), p.name() + ": the update did not change the original's logits");
    assertTrue(identical(after, r.forward(p.x1())), p.name() + ": original and replica disagree after an update");

    // ... and one through the original by the replica.
    String first = List.copyOf(m.parameters().keySet()).get(0);
    m.parameters().get(first).muli(1.25);
    assertTrue(identical(m.parameters().get(first), r.parameters().get(first)),
        p.name() + ": update of " + first + " through the original not seen by the replica");
    // Interleaved use: the replica's work buffers are its own.
    INDArray mOut = m.forward(p.x1());
    r.forward(p.x2());
    assertTrue(identical(mOut, m.forward(p.x1())), p.name() + ": a replica call changed the original's result");
    assertTrue(identical(mOut, r.forward(p.x1())), p.name() + ": original and replica disagree");
  }
}
