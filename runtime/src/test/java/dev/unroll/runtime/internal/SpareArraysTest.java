package dev.unroll.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.runtime.Gradients;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** Released gradient arrays come back zeroed, matched by data type and shape; unreleased ones never. */
class SpareArraysTest {

  @Test
  void releasedArraysAreReusedZeroedAndHeldOnesNever() {
    SpareArrays spares = new SpareArrays();
    INDArray w = spares.take(DataType.FLOAT, 8, 3);
    INDArray b = spares.take(DataType.FLOAT, 8);
    w.assign(2);
    b.assign(3);
    Gradients g = gradients(spares, w, b);
    // not released: the next call gets new arrays, the caller's stay as they are
    INDArray w2 = spares.take(DataType.FLOAT, 8, 3);
    assertNotSame(w, w2);
    assertEquals(2.0, w.getDouble(0, 0));

    g.release();
    g.release();  // a second release does nothing
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> g.get("w"));
    assertTrue(e.getMessage().contains("released"), e.getMessage());
    assertThrows(IllegalStateException.class, g::asMap);
    assertEquals(0.5, g.loss());

    assertSame(b, spares.take(DataType.FLOAT, 8), "matched by shape");
    assertEquals(0.0, b.sumNumber().doubleValue(), "zeroed");
    assertNotSame(w, spares.take(DataType.DOUBLE, 8, 3), "matched by data type");
    INDArray again = spares.take(DataType.FLOAT, 8, 3);
    assertSame(w, again);
    assertEquals(0.0, again.sumNumber().doubleValue());
    assertNotSame(w, spares.take(DataType.FLOAT, 8, 3), "each array handed out once");
  }

  @Test
  void keepsAtMostTwoReleasedSets() {
    SpareArrays spares = new SpareArrays();
    Set<INDArray> released = Collections.newSetFromMap(new IdentityHashMap<>());
    for (int k = 0; k < 5; k++) {
      INDArray w = spares.take(DataType.FLOAT, 4);
      INDArray b = spares.take(DataType.FLOAT, 2);
      released.add(w);
      gradients(spares, w, b).release();
    }
    // each set was released before the next take, so one set was reused each time: 1 array of [4]
    assertEquals(1, released.size());
    SpareArrays other = new SpareArrays();
    INDArray[] held = new INDArray[5];
    for (int k = 0; k < held.length; k++) {
      held[k] = other.take(DataType.FLOAT, 4);
    }
    for (INDArray h : held) {
      gradients(other, h).release();
    }
    // five released at once: two kept, the other three left to the garbage collector
    int reused = 0;
    for (int k = 0; k < 5; k++) {
      INDArray t = other.take(DataType.FLOAT, 4);
      for (INDArray h : held) {
        reused += h == t ? 1 : 0;
      }
    }
    assertEquals(2, reused);
  }

  private static Gradients gradients(SpareArrays owner, INDArray... arrays) {
    Map<String, INDArray> byName = new LinkedHashMap<>();
    String[] names = {"w", "b"};
    for (int k = 0; k < arrays.length; k++) {
      byName.put(names[k], arrays[k]);
    }
    return new Gradients(0.5, byName, owner);
  }
}
