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
}
