package dev.unroll.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class InputsTest {

  private static void assertMessage(String expected, Executable call) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
    assertEquals(expected, e.getMessage());
  }

  // ---------------------------------------------------------------------------------------------
  // features

  @Test
  void featuresAccepted() {
    assertDoesNotThrow(() -> Inputs.features(Nd4j.zeros(DataType.FLOAT, 4, 7, 9), 9));
    assertDoesNotThrow(() -> Inputs.features(Nd4j.zeros(DataType.DOUBLE, 1, 1, 9), 9));
    assertDoesNotThrow(() -> Inputs.features(Nd4j.zeros(DataType.FLOAT16, 2, 3, 9), 9));
  }

  @Test
  void featuresRejected() {
    assertMessage(
        "x must be [batch, time, 9] float but is [4, 7, 5] FLOAT: the model reads 9 features per step",
        () -> Inputs.features(Nd4j.zeros(DataType.FLOAT, 4, 7, 5), 9));
    assertMessage(
        "x must be [batch, time, 9] float but is [4, 9] FLOAT: a batch of sequences has 3"
            + " dimensions, batch first",
        () -> Inputs.features(Nd4j.zeros(DataType.FLOAT, 4, 9), 9));
    assertMessage(
        "x must be [batch, time, 9] float but is [4, 7, 9] LONG: convert it with"
            + " x.castTo(DataType.FLOAT) or DOUBLE",
        () -> Inputs.features(Nd4j.zeros(DataType.INT64, 4, 7, 9), 9));
    assertMessage(
        "x must be [batch, time, 9] float but is [4, 0, 9] DOUBLE: batch and time must be at"
            + " least 1",
        () -> Inputs.features(Nd4j.create(DataType.DOUBLE, 4, 0, 9), 9));
    assertMessage(
        "x must be [batch, time, 9] float but is null", () -> Inputs.features(null, 9));
  }

  @Test
  void nonFiniteFeaturesRejectedWherePlaced() {
    String fix = ": features must be finite numbers, padded steps included (one NaN or infinity makes"
        + " every gradient NaN); replace it, e.g. with 0 at a padded step";
    INDArray x = Nd4j.rand(DataType.FLOAT, 4, 7, 9);
    x.putScalar(new long[] {2, 5, 8}, Float.NaN);
    assertMessage("x[2, 5, 8] is NaN" + fix, () -> Inputs.features(x, 9));
    x.putScalar(new long[] {1, 6, 0}, Float.NEGATIVE_INFINITY);
    assertMessage("x[1, 6, 0] is -Infinity" + fix, () -> Inputs.features(x, 9));
    INDArray d = Nd4j.rand(DataType.DOUBLE, 3, 2, 9);
    d.putScalar(new long[] {2, 1, 3}, Double.POSITIVE_INFINITY);
    assertMessage("x[2, 1, 3] is Infinity" + fix, () -> Inputs.features(d, 9));
    // a strided view (time-major data seen batch first) and half precision
    INDArray timeMajor = Nd4j.rand(DataType.FLOAT, 7, 4, 9);
    timeMajor.putScalar(new long[] {3, 1, 4}, Float.NaN);
    assertMessage("x[1, 3, 4] is NaN" + fix, () -> Inputs.features(timeMajor.permute(1, 0, 2), 9));
    INDArray half = Nd4j.zeros(DataType.FLOAT16, 2, 3, 9);
    half.putScalar(new long[] {1, 2, 2}, Float.NaN);
    assertMessage("x[1, 2, 2] is NaN" + fix, () -> Inputs.features(half, 9));
  }

  @Test
  void nonFiniteConditionRejected() {
    INDArray v = Nd4j.rand(DataType.FLOAT, 3, 5);
    v.putScalar(new long[] {2, 4}, Float.NaN);
    assertMessage("condition[2, 4] is NaN: a condition must hold finite numbers (one NaN or infinity makes"
        + " every gradient NaN)", () -> Inputs.condition(v, 5));
    assertDoesNotThrow(() -> Inputs.condition(Nd4j.rand(DataType.FLOAT, 3, 5), 5));
  }

  // ---------------------------------------------------------------------------------------------
  // tokens

  @Test
  void tokensAccepted() {
    INDArray x = Nd4j.createFromArray(new long[][] {{0, 49, 3}, {7, 7, 1}});
    assertDoesNotThrow(() -> Inputs.tokens(x, 50));
    assertDoesNotThrow(() -> Inputs.tokens(x.castTo(DataType.INT32), 50));
    assertDoesNotThrow(() -> Inputs.tokens(x.castTo(DataType.INT16), 50));
  }

  @Test
  void tokensRejected() {
    INDArray x = Nd4j.createFromArray(new long[][] {{0, 49, 3, 2}, {7, 7, 1, 57}, {-1, 0, 0, 0}});
    assertMessage(
        "token id 57 at x[1, 3] is outside the vocabulary: ids must be in [0, 50)",
        () -> Inputs.tokens(x, 50));
    x.putScalar(1, 3, 2);
    assertMessage(
        "token id -1 at x[2, 0] is outside the vocabulary: ids must be in [0, 50)",
        () -> Inputs.tokens(x, 50));
    // a view: positions are the view's
    INDArray view = x.get(NDArrayIndex.interval(1, 3), NDArrayIndex.interval(0, 2));
    assertMessage(
        "token id -1 at x[1, 0] is outside the vocabulary: ids must be in [0, 50)",
        () -> Inputs.tokens(view, 50));
    assertMessage(
        "x must be [batch, time] integer token ids but is [3, 4] FLOAT: convert it with"
            + " x.castTo(DataType.INT64)",
        () -> Inputs.tokens(x.castTo(DataType.FLOAT), 50));
    assertMessage(
        "x must be [batch, time] integer token ids but is [3, 4, 1] LONG: a model with an"
            + " embedding reads one token id per step",
        () -> Inputs.tokens(x.reshape(3, 4, 1), 50));
    assertMessage(
        "x must be [batch, time] integer token ids but is [0, 4] LONG: batch and time must be at"
            + " least 1",
        () -> Inputs.tokens(Nd4j.create(DataType.INT64, 0, 4), 50));
  }

  // ---------------------------------------------------------------------------------------------
  // steps

  @Test
  void steps() {
    assertDoesNotThrow(() -> Inputs.steps(Nd4j.zeros(DataType.FLOAT, 2, 7, 3), 7));
    assertDoesNotThrow(() -> Inputs.steps(Nd4j.zeros(DataType.INT64, 2, 7), 7));
    assertMessage(
        "this model was compiled with @Unroll(steps = 7) and reads sequences of exactly 7 steps,"
            + " but x has 9",
        () -> Inputs.steps(Nd4j.zeros(DataType.FLOAT, 2, 9, 3), 7));
    assertMessage(
        "this model was compiled with @Unroll(steps = 7) and reads sequences of exactly 7 steps,"
            + " but x is [7] FLOAT, which has no time dimension",
        () -> Inputs.steps(Nd4j.zeros(DataType.FLOAT, 7), 7));
  }

  // ---------------------------------------------------------------------------------------------
  // mask

  @Test
  void maskLengths() {
    INDArray mask =
        Nd4j.createFromArray(new double[][] {{1, 1, 1, 1}, {1, 0, 0, 0}, {1, 1, 1, 0}});
    assertArrayEquals(new int[] {4, 1, 3}, Inputs.mask(mask, 3, 4));
    assertArrayEquals(new int[] {4, 1, 3}, Inputs.mask(mask.castTo(DataType.FLOAT), 3, 4));
    assertArrayEquals(new int[] {4, 1, 3}, Inputs.mask(mask.castTo(DataType.INT64), 3, 4));
    assertArrayEquals(new int[] {4, 1, 3}, Inputs.mask(mask.castTo(DataType.UINT8), 3, 4));
    assertArrayEquals(new int[] {4, 1, 3}, Inputs.mask(mask.castTo(DataType.BOOL), 3, 4));
    INDArray transposed = mask.transpose().dup().transpose(); // f-ordered copy
    assertArrayEquals(new int[] {4, 1, 3}, Inputs.mask(transposed, 3, 4));
  }

  @Test
  void maskRejected() {
    assertMessage(
        "mask must be [3, 4] (batch, steps) of 0 and 1 but is [3, 5] FLOAT",
        () -> Inputs.mask(Nd4j.ones(DataType.FLOAT, 3, 5), 3, 4));
    assertMessage(
        "mask must be [3, 4] (batch, steps) of 0 and 1 but is [12] FLOAT",
        () -> Inputs.mask(Nd4j.ones(DataType.FLOAT, 12), 3, 4));
    assertMessage(
        "the mask must hold only 0 and 1, but mask[1, 2] is 0.5",
        () -> Inputs.mask(
            Nd4j.createFromArray(new double[][] {{1, 1, 1}, {1, 1, 0.5}}), 2, 3));
    assertMessage(
        "the mask must hold only 0 and 1, but mask[0, 1] is 2.0",
        () -> Inputs.mask(Nd4j.createFromArray(new long[][] {{1, 2, 1}}), 1, 3));
    assertMessage(
        "row 2 of the mask has no valid step: every sequence needs at least one",
        () -> Inputs.mask(
            Nd4j.createFromArray(new int[][] {{1, 1}, {1, 0}, {0, 0}}), 3, 2));
    assertMessage(
        "row 1 of the mask is not a prefix of ones: 1 at step 5 after a 0 at step 3; pad"
            + " sequences at the end",
        () -> Inputs.mask(
            Nd4j.createFromArray(new float[][] {{1, 1, 1, 1, 1, 1}, {1, 1, 1, 0, 0, 1}}), 2, 6));
    assertMessage(
        "row 0 of the mask is not a prefix of ones: 1 at step 1 after a 0 at step 0; pad"
            + " sequences at the end",
        () -> Inputs.mask(Nd4j.createFromArray(new float[][] {{0, 1}}), 1, 2));
  }

  // ---------------------------------------------------------------------------------------------
  // targets

  @Test
  void classTargets() {
    INDArray y = Nd4j.createFromArray(2L, 0L, -100L, 1L);
    assertArrayEquals(new long[] {2, 0, -100, 1}, Inputs.classTargets(y, 4, 3));
    assertArrayEquals(
        new long[] {2, 0, -100, 1}, Inputs.classTargets(y.castTo(DataType.INT32), 4, 3));
    assertMessage(
        "y[1] is 3, which is not a class id: the model has 3 classes (0 to 2), and -100 ignores"
            + " a target",
        () -> Inputs.classTargets(Nd4j.createFromArray(2L, 3L), 2, 3));
    assertMessage(
        "y[0] is -1, which is not a class id: the model has 3 classes (0 to 2), and -100 ignores"
            + " a target",
        () -> Inputs.classTargets(Nd4j.createFromArray(-1L, 3L), 2, 3));
    assertMessage(
        "y must be [4] integer class ids (one per sequence) but is [4] FLOAT",
        () -> Inputs.classTargets(y.castTo(DataType.FLOAT), 4, 3));
    assertMessage(
        "y must be [4] integer class ids (one per sequence) but is [4, 1] LONG",
        () -> Inputs.classTargets(y.reshape(4, 1), 4, 3));
    assertMessage(
        "y must be [5] integer class ids (one per sequence) but is [4] LONG",
        () -> Inputs.classTargets(y, 5, 3));
  }

  @Test
  void stepTargetsAreReturnedTimeMajor() {
    INDArray y = Nd4j.createFromArray(new long[][] {{0, 1, 2}, {3, -100, 4}});
    assertArrayEquals(
        new long[] {0, 3, 1, -100, 2, 4}, Inputs.stepTargetsTimeMajor(y, 2, 3, 5));
    INDArray view = Nd4j.createFromArray(new long[][] {{9, 9, 9}, {0, 1, 2}, {3, -100, 4}})
        .get(NDArrayIndex.interval(1, 3), NDArrayIndex.all());
    assertArrayEquals(
        new long[] {0, 3, 1, -100, 2, 4}, Inputs.stepTargetsTimeMajor(view, 2, 3, 5));
    assertMessage(
        "y[1, 2] is 5, which is not a class id: the model has 5 classes (0 to 4), and -100"
            + " ignores a target",
        () -> Inputs.stepTargetsTimeMajor(
            Nd4j.createFromArray(new long[][] {{0, 1, 2}, {3, -100, 5}}), 2, 3, 5));
    assertMessage(
        "y must be [2, 3] integer class ids (one per step, -100 to ignore) but is [2, 4] LONG",
        () -> Inputs.stepTargetsTimeMajor(Nd4j.zeros(DataType.INT64, 2, 4), 2, 3, 5));
    assertMessage(
        "y must be [2, 3] integer class ids (one per step, -100 to ignore) but is [2, 3] DOUBLE",
        () -> Inputs.stepTargetsTimeMajor(Nd4j.zeros(DataType.DOUBLE, 2, 3), 2, 3, 5));
    assertMessage(
        "y must be [2, 3] integer class ids (one per step, -100 to ignore) but is [2] LONG",
        () -> Inputs.stepTargetsTimeMajor(Nd4j.zeros(DataType.INT64, 2), 2, 3, 5));
  }

  // ---------------------------------------------------------------------------------------------
  // one decoding step's tokens

  @Test
  void tokenVector() {
    assertArrayEquals(new int[] {0, 29, 4}, Inputs.tokenVector(Nd4j.createFromArray(0L, 29L, 4L), 30));
    assertArrayEquals(new int[] {3, 1}, Inputs.tokenVector(Nd4j.createFromArray(new int[][] {{3}, {1}}), 30));
    // 2^32 + 3 is not token 3: checked before any narrowing to int
    assertMessage("token id 4294967299 of row 1 is outside the vocabulary: ids must be in [0, 30)",
        () -> Inputs.tokenVector(Nd4j.createFromArray(0L, (1L << 32) + 3, 4L), 30));
    assertMessage("token id -1 of row 0 is outside the vocabulary: ids must be in [0, 30)",
        () -> Inputs.tokenVector(Nd4j.createFromArray(-1L, 2L), 30));
    assertMessage("token id 30 of row 2 is outside the vocabulary: ids must be in [0, 30)",
        () -> Inputs.tokenVector(Nd4j.createFromArray(0L, 2L, 30L), 30));
    assertMessage("tokens must be [batch] integer token ids but is [2, 2] LONG",
        () -> Inputs.tokenVector(Nd4j.zeros(DataType.INT64, 2, 2), 30));
    assertMessage("tokens must be [batch] integer token ids but is [3] FLOAT: convert it with"
            + " tokens.castTo(DataType.INT64)",
        () -> Inputs.tokenVector(Nd4j.zeros(DataType.FLOAT, 3), 30));
  }

  @Test
  void tokenArray() {
    assertDoesNotThrow(() -> Inputs.tokenArray(new int[] {0, 29}, 2, 30));
    assertMessage("token id -100 of row 1 is outside the vocabulary: ids must be in [0, 30)",
        () -> Inputs.tokenArray(new int[] {0, -100}, 2, 30));
    assertMessage("tokens must hold one id per row, 3, but holds 2",
        () -> Inputs.tokenArray(new int[] {0, 1}, 3, 30));
    assertMessage("tokens must hold one id per row, 3, but is null", () -> Inputs.tokenArray(null, 3, 30));
  }
}
