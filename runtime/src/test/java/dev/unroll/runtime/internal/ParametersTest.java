package dev.unroll.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class ParametersTest {

  @Test
  void namedKeepsTheOrderAndTheArraysAndIsUnmodifiable() {
    INDArray w = Nd4j.create(DataType.FLOAT, 2, 3);
    INDArray b = Nd4j.create(DataType.FLOAT, 2);
    Map<String, INDArray> map = Parameters.named(List.of("fc.weight", "fc.bias"), w, b);
    assertEquals(List.of("fc.weight", "fc.bias"), List.copyOf(map.keySet()));
    assertSame(w, map.get("fc.weight"));
    assertSame(b, map.get("fc.bias"));
    assertThrows(UnsupportedOperationException.class, () -> map.put("x", w));
  }

  @Test
  void countsMustAgree() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Parameters.named(List.of("a", "b"), Nd4j.create(DataType.FLOAT, 1)));
    assertEquals("2 names but 1 arrays", e.getMessage());
  }
}
