package dev.unroll.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class GradientClippingTest {

  private static Map<String, INDArray> grads() {
    Map<String, INDArray> g = new LinkedHashMap<>();
    g.put("a", Nd4j.create(new double[] {3, 0, -4, 0}, new long[] {2, 2}, DataType.DOUBLE));
    g.put("b", Nd4j.create(new double[] {12}, new long[] {1}, DataType.DOUBLE));
    return g; // total norm sqrt(9 + 16 + 144) = 13
  }

  private static double[] values(INDArray a) {
    return a.dup().data().asDouble();
  }

  @Test
  void scalesByMaxNormOverNormWhenAbove() {
    Map<String, INDArray> g = grads();
    double norm = GradientClipping.clipGlobalNorm(g, 6.5);
    assertEquals(13, norm, 1e-12);
    double c = 6.5 / (13 + 1e-6);
    assertArrayEquals(new double[] {3 * c, 0, -4 * c, 0}, values(g.get("a")), 1e-14);
    assertArrayEquals(new double[] {12 * c}, values(g.get("b")), 1e-14);
    assertEquals(6.5, GradientClipping.globalNorm(g), 1e-6);
  }

  @Test
  void leavesSmallGradientsUnchanged() {
    Map<String, INDArray> g = grads();
    assertEquals(13, GradientClipping.clipGlobalNorm(g, 20), 1e-12);
    assertArrayEquals(new double[] {3, 0, -4, 0}, values(g.get("a")), 0);
    assertArrayEquals(new double[] {12}, values(g.get("b")), 0);
  }

  @Test
  void floatGradientsAccumulateAcrossArrays() {
    Map<String, INDArray> g = new LinkedHashMap<>();
    g.put("x", Nd4j.ones(DataType.FLOAT, 3, 4)); // 12
    g.put("y", Nd4j.ones(DataType.FLOAT, 4).muli(2)); // 16
    assertEquals(Math.sqrt(28), GradientClipping.clipGlobalNorm(g, 1), 1e-6);
    assertEquals(1, GradientClipping.globalNorm(g), 1e-5);
  }

  @Test
  void nonFiniteNormIsReturnedAndNothingScaled() {
    Map<String, INDArray> g = grads();
    g.get("a").putScalar(0, Double.NaN);
    assertTrue(Double.isNaN(GradientClipping.clipGlobalNorm(g, 1)));
    assertArrayEquals(new double[] {12}, values(g.get("b")), 0);
  }

  @Test
  void clipValueClampsEveryElement() {
    Map<String, INDArray> g = grads();
    GradientClipping.clipValue(g, 3.5);
    assertArrayEquals(new double[] {3, 0, -3.5, 0}, values(g.get("a")), 0);
    assertArrayEquals(new double[] {3.5}, values(g.get("b")), 0);
  }

  private static Map<String, INDArray> randomFloats(long seed) {
    Nd4j.getRandom().setSeed(seed);
    Map<String, INDArray> g = new LinkedHashMap<>();
    g.put("w", Nd4j.randn(DataType.FLOAT, 40, 30));
    g.put("b", Nd4j.randn(DataType.FLOAT, 30).muli(3));
    return g;
  }

  private static Map<String, INDArray> copy(Map<String, INDArray> g) {
    Map<String, INDArray> c = new LinkedHashMap<>();
    g.forEach((k, v) -> c.put(k, v.dup()));
    return c;
  }

  @Test
  void checkAndClipGivesWhatCheckThenClipGaveBitForBit() {
    for (double[] settings : new double[][] {{0, 5}, {0, 1e6}, {0.5, 5}, {0.5, 0}, {0, 0}}) {
      Map<String, INDArray> before = randomFloats(11);
      Map<String, INDArray> after = copy(before);
      Finite.check(new dev.unroll.runtime.Gradients(1.5, before), 3);
      if (settings[0] > 0) {
        GradientClipping.clipValue(before, settings[0]);
      }
      if (settings[1] > 0) {
        GradientClipping.clipGlobalNorm(before, settings[1]);
      }
      dev.unroll.runtime.Gradients g = new dev.unroll.runtime.Gradients(1.5, after);
      GradientClipping.checkAndClip(g, 3, settings[0], settings[1]);
      for (String k : before.keySet()) {
        assertEquals(before.get(k), g.get(k), java.util.Arrays.toString(settings) + " " + k);
      }
    }
  }

  @Test
  void checkAndClipNamesTheNonFiniteGradientAndChangesNothing() {
    for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY}) {
      for (double limit : new double[] {0, 0.5}) {
        Map<String, INDArray> g = randomFloats(12);
        g.get("b").putScalar(7, bad);
        Map<String, INDArray> untouched = copy(g);
        NonFiniteException e = org.junit.jupiter.api.Assertions.assertThrows(NonFiniteException.class,
            () -> GradientClipping.checkAndClip(new dev.unroll.runtime.Gradients(2, g), 9, limit, 5));
        assertTrue(e.getMessage().contains("the gradient of b has NaN or infinite elements at iteration 9"),
            e.getMessage());
        assertEquals(untouched.get("w"), g.get("w"));
      }
    }
    org.junit.jupiter.api.Assertions.assertThrows(NonFiniteException.class,
        () -> GradientClipping.checkAndClip(new dev.unroll.runtime.Gradients(Double.NaN, grads()), 1, 0, 5));
  }

  @Test
  void checkAndClipLetsFiniteGradientsWhoseSquaresOverflowThroughUnscaled() {
    Map<String, INDArray> g = new LinkedHashMap<>();
    g.put("huge", Nd4j.create(new float[] {3e38f, -3e38f}, new long[] {2}, DataType.FLOAT));
    GradientClipping.checkAndClip(new dev.unroll.runtime.Gradients(1, g), 1, 0, 5);
    assertArrayEquals(new double[] {3e38f, -3e38f}, values(g.get("huge")), 0);
  }
}
