package dev.unroll.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.runtime.Npz;
import java.io.IOException;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class CrossEntropyTest {

  private static final double LN2 = 0.6931471805599453;

  private static INDArray matrix(double[][] rows) {
    return Nd4j.createFromArray(rows);
  }

  private static double[] values(INDArray a) {
    return a.dup('c').castTo(DataType.DOUBLE).data().asDouble();
  }

  /**
   * Classes switched off by a -1e4 bias (char-lm's unused classes) skip their exp; the loss and the
   * gradient must be bit for bit what summing every exp gives, including arguments near the underflow.
   */
  @Test
  void underflowingClassesSkipTheirExpBitForBit() {
    SplittableRandom random = new SplittableRandom(5);
    int n = 7;
    int c = 12;
    double[][] rows = new double[n][c];
    long[] targets = new long[n];
    for (int r = 0; r < n; r++) {
      for (int j = 0; j < c; j++) {
        rows[r][j] = j < 6 ? random.nextDouble(-5, 5) : -1e4;
      }
      targets[r] = r % 6;
    }
    rows[1][6] = rows[1][0] - 745.5; // exp rounds to a subnormal or 0: computed, not skipped
    rows[2][7] = rows[2][1] - 746.5; // below the cut
    rows[3][8] = Double.NEGATIVE_INFINITY;
    INDArray logits = Nd4j.createFromArray(rows).castTo(DataType.FLOAT).castTo(DataType.DOUBLE);
    INDArray grad = Nd4j.zeros(DataType.DOUBLE, n, c);
    double loss = CrossEntropy.lossAndGradient(logits, targets, grad);

    double[] x = values(logits);
    double sum = 0;
    double[] expected = new double[n * c];
    for (int r = 0; r < n; r++) {
      double max = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < c; j++) {
        max = Math.max(max, x[r * c + j]);
      }
      double s = 0;
      for (int j = 0; j < c; j++) {
        expected[r * c + j] = Math.exp(x[r * c + j] - max);
        s += expected[r * c + j];
      }
      double scale = (1.0 / n) / s;
      for (int j = 0; j < c; j++) {
        expected[r * c + j] *= scale;
      }
      expected[r * c + (int) targets[r]] -= 1.0 / n;
      sum += max + Math.log(s) - x[r * c + (int) targets[r]];
    }
    assertEquals(sum / n, loss, 0.0);
    assertArrayEquals(expected, values(grad), 0.0);
    assertEquals(sum / n, CrossEntropy.loss(logits, targets), 0.0);
  }

  @Test
  void twoEqualLogits() {
    INDArray grad = Nd4j.zeros(DataType.DOUBLE, 1, 2);
    double loss = CrossEntropy.lossAndGradient(matrix(new double[][] {{0, 0}}), new long[] {0}, grad);
    assertEquals(LN2, loss, 1e-15);
    assertArrayEquals(new double[] {-0.5, 0.5}, values(grad), 1e-15);
  }

  @Test
  void handComputedMeanOverRows() {
    // row 0: log(e + e^2 + e^3) - 3 = log(1 + e^-1 + e^-2); row 1: log 3
    INDArray logits = matrix(new double[][] {{1, 2, 3}, {1, 1, 1}});
    INDArray grad = Nd4j.create(DataType.DOUBLE, 2, 3);
    double loss = CrossEntropy.lossAndGradient(logits, new long[] {2, 0}, grad);
    double row0 = Math.log(1 + Math.exp(-1) + Math.exp(-2));
    assertEquals((row0 + Math.log(3)) / 2, loss, 1e-15);
    assertEquals(0.7531091265562448, loss, 1e-15);
    assertArrayEquals(
        new double[] {
          0.04501529, 0.12236424, -0.16737952, -1.0 / 3, 1.0 / 6, 1.0 / 6
        },
        values(grad),
        1e-8);
    assertEquals(loss, CrossEntropy.loss(logits, new long[] {2, 0}), 0);
  }

  @Test
  void ignoredRowsAreNotCountedAndGetNoGradient() {
    INDArray logits = matrix(new double[][] {{5, 1}, {0, 0}});
    INDArray grad = Nd4j.valueArrayOf(new long[] {2, 2}, 7.0, DataType.DOUBLE);
    double loss = CrossEntropy.lossAndGradient(logits, new long[] {-100, 1}, grad);
    assertEquals(LN2, loss, 1e-15);
    assertArrayEquals(new double[] {0, 0, 0.5, -0.5}, values(grad), 1e-15);
  }

  @Test
  void allRowsIgnored() {
    INDArray logits = matrix(new double[][] {{5, 1}, {0, 3}});
    INDArray grad = Nd4j.valueArrayOf(new long[] {2, 2}, 7.0, DataType.FLOAT);
    assertEquals(0.0, CrossEntropy.lossAndGradient(logits, new long[] {-100, -100}, grad));
    assertArrayEquals(new double[] {0, 0, 0, 0}, values(grad));
    assertEquals(0.0, CrossEntropy.loss(logits, new long[] {-100, -100}));
  }

  @Test
  void largeLogitsDoNotOverflow() {
    INDArray logits = matrix(new double[][] {{1000, 0}, {-1000, 1000}});
    INDArray grad = Nd4j.create(DataType.DOUBLE, 2, 2);
    double loss = CrossEntropy.lossAndGradient(logits, new long[] {0, 0}, grad);
    assertEquals(1000.0, loss, 1e-12); // (0 + 2000) / 2
    assertArrayEquals(new double[] {0, 0, -0.5, 0.5}, values(grad), 1e-15);
    INDArray floats = logits.castTo(DataType.FLOAT);
    assertEquals(1000.0, CrossEntropy.loss(floats, new long[] {0, 0}), 1e-12);
  }

  @Test
  void gradientMatchesFiniteDifferences() {
    SplittableRandom rng = new SplittableRandom(7);
    int n = 5;
    int c = 7;
    double[][] x = new double[n][c];
    for (double[] row : x) {
      for (int j = 0; j < c; j++) {
        row[j] = rng.nextDouble(-3, 3);
      }
    }
    long[] targets = {3, -100, 0, 6, 2};
    INDArray grad = Nd4j.create(DataType.DOUBLE, n, c);
    CrossEntropy.lossAndGradient(matrix(x), targets, grad);
    double h = 1e-6;
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < c; j++) {
        double keep = x[i][j];
        x[i][j] = keep + h;
        double up = CrossEntropy.loss(matrix(x), targets);
        x[i][j] = keep - h;
        double down = CrossEntropy.loss(matrix(x), targets);
        x[i][j] = keep;
        assertEquals((up - down) / (2 * h), grad.getDouble(i, j), 1e-8, "d/dx[" + i + "][" + j + "]");
      }
    }
  }

  @Test
  void floatViewsInAndOut() {
    INDArray big = Nd4j.linspace(-3, 3, 40, DataType.FLOAT).reshape(8, 5);
    INDArray logits = big.get(NDArrayIndex.interval(2, 5), NDArrayIndex.all()); // rows 2..4
    INDArray gradBig = Nd4j.valueArrayOf(new long[] {8, 5}, 9f, DataType.FLOAT);
    INDArray grad = gradBig.get(NDArrayIndex.interval(2, 5), NDArrayIndex.all());
    long[] targets = {4, 0, 2};
    double loss = CrossEntropy.lossAndGradient(logits, targets, grad);

    INDArray copy = logits.castTo(DataType.DOUBLE).dup('c');
    INDArray expectedGrad = Nd4j.create(DataType.DOUBLE, 3, 5);
    double expected = CrossEntropy.lossAndGradient(copy, targets, expectedGrad);
    assertEquals(expected, loss, 1e-12);
    assertArrayEquals(values(expectedGrad), values(grad), 1e-6);
    assertEquals(DataType.FLOAT, grad.dataType());
    assertEquals(9f, gradBig.getFloat(1, 0)); // outside the view: untouched
    assertEquals(9f, gradBig.getFloat(5, 4));
  }

  @Test
  void columnMajorAndFloat16ArraysTakeTheCopyingPath() {
    INDArray logits = Nd4j.linspace(-2, 2, 12, DataType.DOUBLE).reshape(4, 3);
    long[] targets = {2, CrossEntropy.IGNORE, 0, 1};
    INDArray expectedGrad = Nd4j.create(DataType.DOUBLE, 4, 3);
    double expected = CrossEntropy.lossAndGradient(logits, targets, expectedGrad);
    INDArray fGrad = Nd4j.create(DataType.DOUBLE, new long[] {4, 3}, 'f');
    assertEquals(expected, CrossEntropy.lossAndGradient(logits.dup('f'), targets, fGrad), 1e-15);
    assertArrayEquals(values(expectedGrad), values(fGrad), 1e-15);
    INDArray float16Grad = Nd4j.create(DataType.FLOAT16, 4, 3);
    assertEquals(expected, CrossEntropy.lossAndGradient(logits.castTo(DataType.FLOAT16), targets, float16Grad), 1e-2);
    assertArrayEquals(values(expectedGrad), values(float16Grad.castTo(DataType.DOUBLE)), 1e-3);
  }

  @Test
  void matchesPyTorchOnTheParityFile() throws IOException {
    Map<String, INDArray> file = Npz.read(resource("lstm_many_to_one.npz"));
    long[] y = file.get("y").data().asLong();
    double expected = file.get("loss").getDouble(0);
    assertEquals(expected, CrossEntropy.loss(file.get("logits"), y), 1e-12 * Math.abs(expected));
  }

  @Test
  void largeBatchIsFast() {
    int n = 20_000;
    int c = 100;
    INDArray logits = Nd4j.rand(DataType.FLOAT, n, c).muli(10);
    long[] targets = new long[n];
    for (int i = 0; i < n; i++) {
      targets[i] = i % 10 == 0 ? -100 : i % c;
    }
    INDArray grad = Nd4j.create(DataType.FLOAT, n, c);
    CrossEntropy.lossAndGradient(logits, targets, grad); // warm up
    long start = System.nanoTime();
    double loss = CrossEntropy.lossAndGradient(logits, targets, grad);
    long millis = (System.nanoTime() - start) / 1_000_000;
    assertTrue(millis < 5_000, "2M logits took " + millis + " ms");
    assertTrue(loss > 0 && Double.isFinite(loss));
    // every counted row of the gradient sums to 0; ignored rows are 0
    INDArray rowSums = grad.castTo(DataType.DOUBLE).sum(1);
    assertEquals(0.0, rowSums.norm1Number().doubleValue(), 1e-3);
    assertEquals(0.0, grad.getRow(0).castTo(DataType.DOUBLE).norm1Number().doubleValue());
  }

  @Test
  void rejectsBadArguments() {
    INDArray logits = Nd4j.zeros(DataType.DOUBLE, 2, 3);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> CrossEntropy.loss(logits, new long[] {0, 3}));
    assertEquals("target 1 is 3, not a class id in [0, 3) or -100", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> CrossEntropy.loss(logits, new long[] {-1, 0}));
    assertEquals("target 0 is -1, not a class id in [0, 3) or -100", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> CrossEntropy.loss(logits, new long[] {0}));
    assertEquals("there are 1 targets for 2 rows of logits", e.getMessage());
    e = assertThrows(
        IllegalArgumentException.class,
        () -> CrossEntropy.loss(Nd4j.zeros(DataType.DOUBLE, 2, 3, 1), new long[] {0, 0}));
    assertEquals("logits must be [N, classes] but is [2, 3, 1]", e.getMessage());
    e = assertThrows(
        IllegalArgumentException.class,
        () -> CrossEntropy.lossAndGradient(logits, new long[] {0, 0}, Nd4j.zeros(DataType.DOUBLE, 3, 2)));
    assertEquals("gradOut must have the shape of logits [2, 3] but is [3, 2]", e.getMessage());
    e = assertThrows(
        IllegalArgumentException.class,
        () -> CrossEntropy.loss(Nd4j.zeros(DataType.INT64, 2, 3), new long[] {0, 0}));
    assertEquals("logits must be floating point but is LONG", e.getMessage());
  }

  private static java.nio.file.Path resource(String name) {
    try {
      return java.nio.file.Paths.get(CrossEntropyTest.class.getResource("/npz/" + name).toURI());
    } catch (java.net.URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
