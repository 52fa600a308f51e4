package dev.unroll.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** {@link MeanSquaredError} against values worked out by hand. */
class MeanSquaredErrorTest {

  @ParameterizedTest
  @EnumSource(value = DataType.class, names = {"FLOAT", "DOUBLE"})
  void lossAndGradient_overEveryElement(DataType type) {
    INDArray pred = Nd4j.createFromArray(new double[][] {{1, 2}, {3, 5}}).castTo(type);
    double[] y = {0, 2, 3, 1};
    INDArray grad = Nd4j.create(type, 2, 2);
    // squared errors 1, 0, 0, 16 over 4 elements
    assertEquals(17 / 4.0, MeanSquaredError.lossAndGradient(pred, y, null, grad), 1e-6);
    // 2 (ŷ − y) / 4
    assertEquals(0.5, grad.getDouble(0, 0), 1e-6);
    assertEquals(0, grad.getDouble(0, 1), 1e-6);
    assertEquals(2.0, grad.getDouble(1, 1), 1e-6);
    assertEquals(17 / 4.0, MeanSquaredError.loss(pred, y, null), 1e-6);
  }

  @Test
  void aRowMaskLeavesRowsOut_andTheirTargetsAreNeverRead() {
    INDArray pred = Nd4j.createFromArray(new double[][] {{1, 2}, {3, 5}, {7, 7}});
    double[] y = {0, 2, Double.NaN, Double.NaN, 7, 4};
    INDArray mask = Nd4j.createFromArray(new double[][] {{1}, {0}, {1}});
    INDArray grad = Nd4j.create(DataType.DOUBLE, 3, 2).assign(9);
    // rows 0 and 2: squared errors 1, 0, 0, 9 over 4 counted elements
    assertEquals(10 / 4.0, MeanSquaredError.lossAndGradient(pred, y, mask, grad), 1e-12);
    assertEquals(0, grad.getRow(1).norm2Number().doubleValue(), 0.0);
    assertEquals(1.5, grad.getDouble(2, 1), 1e-12);
    INDArray none = Nd4j.zeros(DataType.DOUBLE, 3, 1);
    assertEquals(0, MeanSquaredError.lossAndGradient(pred, y, none, grad), 0.0);
    assertEquals(0, grad.norm2Number().doubleValue(), 0.0);
  }

  @Test
  void batchFirstLoss_andCountedElements() {
    INDArray pred = Nd4j.createFromArray(new double[][][] {{{1}, {2}, {3}}, {{4}, {5}, {6}}});
    INDArray y = Nd4j.zeros(DataType.DOUBLE, 2, 3, 1);
    INDArray mask = Nd4j.createFromArray(new double[][] {{1, 1, 0}, {1, 0, 0}});
    // counted: 1, 2 and 4: (1 + 4 + 16) / 3
    assertEquals(7.0, MeanSquaredError.loss(pred, y, mask), 1e-12);
    assertEquals(3, MeanSquaredError.counted(pred, mask));
    assertEquals(6, MeanSquaredError.counted(pred, null));
    assertEquals(91 / 6.0, MeanSquaredError.loss(pred, y, null), 1e-12);
    assertEquals(4, MeanSquaredError.counted(Nd4j.zeros(2, 2), mask), "many-to-one: every row counts");
  }

  @Test
  void mismatchedShapes_areRefused() {
    INDArray pred = Nd4j.zeros(DataType.DOUBLE, 2, 2);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> MeanSquaredError.loss(pred, new double[3], null));
    assertTrue(e.getMessage().contains("3 targets for 2 x 2"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> MeanSquaredError.loss(pred, Nd4j.zeros(DataType.DOUBLE, 2, 3), null));
    assertThrows(IllegalArgumentException.class,
        () -> MeanSquaredError.lossAndGradient(pred, new double[4], null, Nd4j.zeros(DataType.DOUBLE, 2, 3)));
  }

  @Test
  void valueTargets_checkTheirShapeAndType_andStepValuesGoTimeMajor() {
    INDArray y = Nd4j.createFromArray(new double[][][] {{{1, 2}, {3, 4}}, {{5, 6}, {7, 8}}});
    double[] tm = Inputs.stepValuesTimeMajor(y, 2, 2, 2);
    assertEquals(java.util.List.of(1.0, 2.0, 5.0, 6.0, 3.0, 4.0, 7.0, 8.0),
        java.util.Arrays.stream(tm).boxed().toList());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Inputs.valueTargets(Nd4j.createFromArray(1L, 2L), 2, 1));
    assertEquals("y must be [2, 1] floating-point targets (one row per sequence) but is [2] LONG", e.getMessage());
  }
}
