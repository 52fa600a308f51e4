package dev.unroll.training;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class FiniteTest {

  @Test
  void detectsNanAndBothInfinitiesInFloatAndDouble() {
    for (DataType type : new DataType[] {DataType.FLOAT, DataType.DOUBLE}) {
      assertTrue(Finite.all(Nd4j.create(new double[] {1e30, -2, 0}, new long[] {3}, type)));
      for (double bad : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
        INDArray a = Nd4j.zeros(type, 2, 3);
        a.putScalar(1, 2, bad);
        assertFalse(Finite.all(a), type + " " + bad);
        Map<String, INDArray> m = new LinkedHashMap<>();
        m.put("ok", Nd4j.ones(type, 2));
        m.put("bad", a);
        assertEquals("bad", Finite.firstNonFinite(m));
        m.remove("bad");
        assertNull(Finite.firstNonFinite(m));
      }
    }
  }

  @Test
  void walksViewsAndFallsBackForOtherLayouts() {
    // a row-major matrix's rows as a view with an offset, a column-major matrix, a rank-3 array
    INDArray big = Nd4j.zeros(DataType.FLOAT, 6, 5);
    INDArray view = big.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(2, 4),
        org.nd4j.linalg.indexing.NDArrayIndex.all());
    assertTrue(Finite.all(view));
    big.putScalar(1, 4, Float.NaN); // outside the view
    big.putScalar(5, 0, Float.POSITIVE_INFINITY);
    assertTrue(Finite.all(view));
    big.putScalar(3, 4, Float.NEGATIVE_INFINITY); // the view's last element
    assertFalse(Finite.all(view));
    INDArray f = Nd4j.create(DataType.DOUBLE, new long[] {3, 4}, 'f');
    assertTrue(Finite.all(f));
    f.putScalar(2, 1, Double.NaN);
    assertFalse(Finite.all(f));
    INDArray cube = Nd4j.zeros(DataType.FLOAT, 2, 3, 4);
    assertTrue(Finite.all(cube));
    cube.putScalar(new long[] {1, 2, 3}, Float.POSITIVE_INFINITY);
    assertFalse(Finite.all(cube));
    assertTrue(Finite.all(Nd4j.create(DataType.FLOAT, 0)));
  }
}
