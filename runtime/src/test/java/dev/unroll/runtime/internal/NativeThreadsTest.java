package dev.unroll.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;

class NativeThreadsTest {

  @Test
  void theFirstProductLeavesLibnd4jOneMasterThread() {
    Ops.timesTransposed(Nd4j.create(DataType.FLOAT, 2, 3), Nd4j.ones(DataType.FLOAT, 2, 4), Nd4j.ones(DataType.FLOAT, 3, 4));
    assertEquals(1, Nd4j.getEnvironment().maxMasterThreads());
    if (FusedLstm.oneDnn()) {
      assertEquals(1, Nd4j.factory().blas().getMaxThreads(), "OpenBLAS on one thread beside oneDNN");
    }
  }
}
