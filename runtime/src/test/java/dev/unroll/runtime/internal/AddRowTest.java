package dev.unroll.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** {@code Ops.addRow} on both of its paths (Java for small matrices, ND4J for large), both data types. */
class AddRowTest {

  // 3 × 5 takes the Java path, 300 × 512 (more than Ops.MAX_JAVA_ADD_ROW elements) ND4J's
  @ParameterizedTest
  @CsvSource({"FLOAT, 3, 5", "DOUBLE, 3, 5", "FLOAT, 300, 512", "DOUBLE, 300, 512"})
  void addsTheRowToEveryRowOfARowBlockAndNothingElse(DataType type, int rows, int cols) {
    // the matrix is rows 1 .. rows of a larger buffer, as a step's block of a sequence buffer is
    INDArray buffer = Nd4j.rand(type, rows + 2, cols);
    INDArray before = buffer.dup();
    INDArray block = Views.rows(buffer, 1, rows + 1);
    INDArray row = Nd4j.rand(type, cols);
    Ops.addRow(block, row);
    double[] b = before.castTo(DataType.DOUBLE).data().asDouble();
    double[] a = buffer.castTo(DataType.DOUBLE).dup().data().asDouble();
    double[] r = row.castTo(DataType.DOUBLE).data().asDouble();
    double tol = type == DataType.FLOAT ? 1e-6 : 1e-15;
    for (int i = 0; i < rows + 2; i++) {
      for (int k = 0; k < cols; k++) {
        double expected = b[i * cols + k] + (i >= 1 && i <= rows ? r[k] : 0);
        assertEquals(expected, a[i * cols + k], tol, "[" + i + ", " + k + "]");
      }
    }
  }

  @Test
  void aRowOfTheWrongLengthIsRefused() {
    INDArray x = Nd4j.zeros(DataType.FLOAT, 2, 4);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Ops.addRow(x, Nd4j.ones(DataType.FLOAT, 3)));
    assertTrue(e.getMessage().contains("must have 4 elements, got [3]"), e.getMessage());
    assertArrayEquals(new float[8], x.data().asFloat(), "nothing written");
  }
}
