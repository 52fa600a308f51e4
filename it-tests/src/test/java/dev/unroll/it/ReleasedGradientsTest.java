package dev.unroll.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.unroll.it.generation.UnrolledGradCheckCases_OneToManyLstmTwoLayer;
import dev.unroll.runtime.Gradients;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A generated model reuses the arrays of released gradients ({@link Gradients#release()}) in its next
 * call, zeroed first, and gives the same gradients as with new arrays; gradients not released are never
 * written again. Both class generators: a classifier (reads sequences) and a one-to-many model.
 */
class ReleasedGradientsTest {

  @Test
  void classifierReusesReleasedArraysAndKeepsHeldOnes() {
    var model = new UnrolledTestModels_Classifier(3, DataType.FLOAT);
    Nd4j.getRandom().setSeed(4);
    INDArray x = Nd4j.rand(DataType.FLOAT, 5, 7, 9).subi(0.5);
    INDArray y = Nd4j.createFromArray(0, 1, 2, 1, 0);
    INDArray x2 = Nd4j.rand(DataType.FLOAT, 5, 7, 9).subi(0.5);
    check(() -> model.gradients(x, y), () -> model.gradients(x2, y));
  }

  @Test
  void oneToManyModelReusesReleasedArrays() {
    var model = new UnrolledGradCheckCases_OneToManyLstmTwoLayer(3, DataType.DOUBLE);
    INDArray condition = Nd4j.rand(DataType.DOUBLE, 2, 4);
    INDArray tgtIn = Nd4j.createFromArray(new int[][] {{1, 3, 4}, {1, 5, 3}});
    INDArray y = Nd4j.createFromArray(new int[][] {{3, 4, 2}, {5, 3, 2}});
    INDArray other = Nd4j.rand(DataType.DOUBLE, 2, 4);
    check(() -> model.gradients(condition, tgtIn, y), () -> model.gradients(other, tgtIn, y));
  }

  /** {@code call} twice with a release between, and {@code otherCall} on held gradients. */
  private static void check(Supplier<Gradients> call, Supplier<Gradients> otherCall) {
    Gradients first = call.get();
    Map<String, INDArray> firstArrays = new LinkedHashMap<>(first.asMap());
    Map<String, double[]> values = copy(first);
    // held: the next call writes new arrays, and these keep their values
    Gradients held = otherCall.get();
    Map<String, INDArray> heldArrays = new LinkedHashMap<>(held.asMap());
    firstArrays.forEach((name, a) -> assertNotSame(a, held.get(name), name));
    assertEquals(values.keySet(), copy(first).keySet());
    copy(first).forEach((name, v) -> assertArrayEquals(values.get(name), v, name + " kept"));
    held.release();
    first.release();
    assertThrows(IllegalStateException.class, () -> first.get(firstArrays.keySet().iterator().next()));
    // released: the arrays come back zeroed and hold the same gradients as new ones did
    Gradients again = call.get();
    int reused = 0;
    for (Map.Entry<String, INDArray> e : again.asMap().entrySet()) {
      assertArrayEquals(values.get(e.getKey()), TestArrays.flat(e.getValue()),
          e.getKey() + " on reused arrays");
      INDArray a = e.getValue();
      reused += firstArrays.values().stream().anyMatch(f -> f == a)
          || heldArrays.values().stream().anyMatch(h -> h == a) ? 1 : 0;
    }
    assertEquals(firstArrays.size(), reused, "every array reused");
  }

  private static Map<String, double[]> copy(Gradients g) {
    Map<String, double[]> out = new LinkedHashMap<>();
    g.asMap().forEach((name, a) -> out.put(name, TestArrays.flat(a)));
    return out;
  }
}
