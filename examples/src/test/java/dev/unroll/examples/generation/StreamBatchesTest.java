package dev.unroll.examples.generation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.unroll.training.data.OneToManyBatch;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/** A seek, back or forward, gives the batches an uninterrupted stream gives at that position. */
class StreamBatchesTest {

  private static StreamBatches<OneToManyBatch> stream() {
    return new StreamBatches<>(() -> {
      Random r = new Random(5);
      return () -> {
        float[] condition = {r.nextFloat(), r.nextFloat()};
        int[] target = {3 + r.nextInt(4)};
        return TokenBatch.oneToMany(List.of(condition), List.of(target), DataType.FLOAT);
      };
    });
  }

  @Test
  void seekingReplaysTheStream() {
    StreamBatches<OneToManyBatch> straight = stream();
    List<OneToManyBatch> drawn = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      drawn.add(straight.next());
    }
    assertNotEquals(drawn.get(0).condition(), drawn.get(1).condition());

    StreamBatches<OneToManyBatch> s = stream();
    s.seek(4); // forward
    assertEquals(drawn.get(4), s.next());
    s.seek(2); // back: from the seed again
    assertEquals(2, s.position());
    assertEquals(drawn.get(2), s.next());
    assertEquals(drawn.get(3), s.next());
    assertEquals(4, s.position());
    assertEquals(0, s.epoch());
  }
}
