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
}
