package dev.unroll.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

class NativeThreadsTest {

  @Test
  void theFirstProductLeavesLibnd4jOneMasterThread() {
    Ops.productT(Nd4j.create(DataType.FLOAT, 2, 3), Nd4j.ones(DataType.FLOAT, 2, 4), Nd4j.ones(DataType.FLOAT, 3, 4));
    assertEquals(1, Nd4j.getEnvironment().maxMasterThreads());
  }

  @Test
  void theSwitchTakesACountOrKeep() {
    assertEquals(1, NativeThreads.parse("1"));
    assertEquals(4, NativeThreads.parse(" 4 "));
    assertEquals(0, NativeThreads.parse("keep"));
    for (String bad : new String[] {"0", "-2", "all", ""}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> NativeThreads.parse(bad));
      assertTrue(e.getMessage().contains("unroll.nd4jMasterThreads") && e.getMessage().contains("'" + bad + "'"),
          e.getMessage());
    }
  }
}
