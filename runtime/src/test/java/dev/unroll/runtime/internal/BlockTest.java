package dev.unroll.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.lang.ref.WeakReference;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/** The NIO-view cache and the re-pointed blocks behind every step's row reads and writes. */
class BlockTest {

  @Test
  void viewsOfOneAllocationShareOneCachedNioView() {
    Block.Context context = new Block.Context();
    INDArray seq = Nd4j.create(DataType.FLOAT, 40, 4);
    INDArray[] steps = Views.rowBlocks(seq, 2, 20);
    java.nio.Buffer first = context.nio(steps[0].data(), true);
    for (INDArray step : steps) {
      assertSame(first, context.nio(step.data(), true), "every step's view maps to the allocation's NIO view");
    }
  }

  @Test
  void theCacheDoesNotKeepADroppedAllocationAlive() throws InterruptedException {
    Block.Context context = new Block.Context();
    WeakReference<DataBuffer> dropped = cacheAndDrop(context);
    for (int i = 0; i < 20 && dropped.get() != null; i++) {
      System.gc();
      Thread.sleep(20);
    }
    assertNull(dropped.get(), "the allocation was collected although the cache had seen it");
  }

  private static WeakReference<DataBuffer> cacheAndDrop(Block.Context context) {
    INDArray a = Nd4j.create(DataType.FLOAT, 8, 8);
    context.nio(a.data(), true);
    return new WeakReference<>(a.data());
  }

  @Test
  void aReusedBlockReadsItsNewArray() {
    Block.Context context = new Block.Context();
    INDArray x = Nd4j.create(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
    INDArray y = Nd4j.create(new float[] {7, 8, 9, 10}, 2, 2);
    Block b = Block.of(x, context, null);
    Block again = Block.of(y, context, b);
    assertSame(b, again, "a float block is re-pointed at another float array, not replaced");
    double[] row = new double[2];
    again.read(1, row);
    assertEquals(9, row[0], 0);
    assertEquals(10, row[1], 0);
    Block doubles = Block.of(Nd4j.create(new double[] {1, 2}, 1, 2), context, b);
    assertEquals(false, doubles == b, "a double array gets a block of its own type");
  }
}
