package dev.unroll.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

class InitTest {

  private static double[] values(INDArray a) {
    return a.dup('c').castTo(DataType.DOUBLE).data().asDouble();
  }

  @Test
  void uniformIsTheSeededStreamInCOrder() {
    INDArray a = Nd4j.create(DataType.DOUBLE, 3, 4);
    Init.uniform(a, 0.25, new SplittableRandom(42));
    SplittableRandom expected = new SplittableRandom(42);
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 4; j++) {
        assertEquals(expected.nextDouble(-0.25, 0.25), a.getDouble(i, j), 0.0, "[" + i + ", " + j + "]");
      }
    }
  }

  @Test
  void sameSeedSameValuesOtherSeedOtherValues() {
    INDArray a = Nd4j.create(DataType.FLOAT, 5, 6);
    INDArray b = Nd4j.create(DataType.FLOAT, 5, 6);
    INDArray c = Nd4j.create(DataType.FLOAT, 5, 6);
    Init.uniform(a, 1, new SplittableRandom(1));
    Init.uniform(b, 1, new SplittableRandom(1));
    Init.uniform(c, 1, new SplittableRandom(2));
    assertEquals(a, b);
    assertNotEquals(a, c);
    Init.normal(a, new SplittableRandom(3));
    Init.normal(b, new SplittableRandom(3));
    Init.normal(c, new SplittableRandom(4));
    assertEquals(a, b);
    assertNotEquals(a, c);
  }

  @Test
  void oneRngAdvancesAcrossCalls() {
    SplittableRandom rng = new SplittableRandom(9);
    INDArray first = Nd4j.create(DataType.DOUBLE, 4);
    INDArray second = Nd4j.create(DataType.DOUBLE, 4);
    Init.uniform(first, 1, rng);
    Init.uniform(second, 1, rng);
    INDArray both = Nd4j.create(DataType.DOUBLE, 8);
    Init.uniform(both, 1, new SplittableRandom(9));
    assertArrayEquals(values(both), concat(values(first), values(second)), 0.0);
  }

  private static double[] concat(double[] a, double[] b) {
    double[] out = new double[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  @Test
  void uniformStaysWithinBoundsWithTheRightMoments() {
    double bound = 0.125;
    INDArray a = Nd4j.create(DataType.FLOAT, 200, 500);
    Init.uniform(a, bound, new SplittableRandom(5));
    double[] v = values(a);
    double sum = 0;
    double sumSq = 0;
    for (double x : v) {
      assertTrue(x >= -bound && x <= bound, "value " + x);
      sum += x;
      sumSq += x * x;
    }
    double mean = sum / v.length;
    double std = Math.sqrt(sumSq / v.length - mean * mean);
    assertEquals(0, mean, 0.002);
    assertEquals(bound / Math.sqrt(3), std, 0.001); // std of U(-b, b) is b / sqrt 3
  }

  @Test
  void normalHasMeanZeroAndStandardDeviationOne() {
    INDArray a = Nd4j.create(DataType.DOUBLE, 100_001); // odd: the last value is a lone cosine
    Init.normal(a, new SplittableRandom(11));
    double[] v = values(a);
    double sum = 0;
    double sumSq = 0;
    int beyond3 = 0;
    for (double x : v) {
      assertTrue(Double.isFinite(x));
      sum += x;
      sumSq += x * x;
      if (Math.abs(x) > 3) {
        beyond3++;
      }
    }
    double mean = sum / v.length;
    double std = Math.sqrt(sumSq / v.length - mean * mean);
    assertEquals(0, mean, 0.02);
    assertEquals(1, std, 0.02);
    assertEquals(0.0027, beyond3 / (double) v.length, 0.001); // P(|N(0,1)| > 3)
  }

  @Test
  void fillsViewsInPlace() {
    INDArray whole = Nd4j.zeros(DataType.FLOAT, 4, 5);
    INDArray column = whole.get(NDArrayIndex.all(), NDArrayIndex.point(2));
    Init.uniform(column, 1, new SplittableRandom(3));
    SplittableRandom expected = new SplittableRandom(3);
    for (int i = 0; i < 4; i++) {
      for (int j = 0; j < 5; j++) {
        if (j == 2) {
          assertEquals((float) expected.nextDouble(-1, 1), whole.getFloat(i, j));
        } else {
          assertEquals(0f, whole.getFloat(i, j));
        }
      }
    }
    INDArray scalar = Nd4j.scalar(0.0);
    Init.normal(scalar, new SplittableRandom(8));
    assertNotEquals(0.0, scalar.getDouble(0));
  }

  @Test
  void zeroBoundFillsZerosAndBadArgumentsAreRejected() {
    INDArray a = Nd4j.ones(DataType.DOUBLE, 3);
    Init.uniform(a, 0, new SplittableRandom(1));
    assertArrayEquals(new double[] {0, 0, 0}, values(a), 0.0);
    assertThrows(IllegalArgumentException.class, () -> Init.uniform(a, -1, new SplittableRandom(1)));
    assertThrows(
        IllegalArgumentException.class, () -> Init.uniform(a, Double.NaN, new SplittableRandom(1)));
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class,
            () -> Init.normal(Nd4j.zeros(DataType.INT64, 3), new SplittableRandom(1)));
    assertEquals("can only initialise floating-point arrays, not LONG", e.getMessage());
  }

  @Test
  void newArraysHoldTheValuesAnInPlaceFillDraws() {
    for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
      INDArray filled = Nd4j.create(type, 3, 5);
      Init.uniform(filled, 0.5, new SplittableRandom(7));
      INDArray made = Init.uniform(type, 0.5, new SplittableRandom(7), 3, 5);
      assertEquals(type, made.dataType());
      assertArrayEquals(filled.shape(), made.shape());
      assertArrayEquals(values(filled), values(made), 0.0);
      INDArray normalFilled = Nd4j.create(type, 7);
      Init.normal(normalFilled, new SplittableRandom(3));
      assertArrayEquals(values(normalFilled), values(Init.normal(type, new SplittableRandom(3), 7)), 0.0);
    }
  }

  @Test
  void modelsComputeInFloatOrDouble() {
    assertEquals(DataType.FLOAT, Init.dataType(DataType.FLOAT));
    assertEquals(DataType.DOUBLE, Init.dataType(DataType.DOUBLE));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Init.dataType(DataType.INT32));
    assertEquals("models compute in FLOAT or DOUBLE, not " + DataType.INT32, e.getMessage());
  }
}
