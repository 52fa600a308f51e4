package dev.unroll.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.training.data.Batch;
import dev.unroll.training.data.SequenceBatches;
import dev.unroll.training.optim.Sgd;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

class TbpttTest {

  private static INDArray ids(long[][] rows) {
    return Nd4j.createFromArray(rows);
  }

  @Test
  void bidirectionalModelsAreRefusedWithTheReason() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class,
            () -> Tbptt.of(new UnrolledTestModels_BiTagger(1, DataType.DOUBLE), 4));
    assertTrue(e.getMessage().contains("bidirectional"), e.getMessage());
    assertTrue(e.getMessage().contains("no state to carry forward"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class,
        () -> Trainer.builder(new UnrolledTestModels_BiTagger(1), new Sgd(0.1),
            new SequenceBatches(new int[] {0, 1, 2, 3}, 1, 2)).iterations(1).tbptt(2).build());
    assertTrue(e.getMessage().contains("bidirectional"), e.getMessage());
  }

  @Test
  void theStateIsCarriedAcrossChunksAndResetOnRequest() {
    FakeStatefulModel m = new FakeStatefulModel(0);
    Tbptt<FakeStatefulModel.State> t = new Tbptt<>(m, 3);
    INDArray x = ids(new long[][] {{0, 1}, {2, 0}});
    t.gradients(x, x, null);
    t.gradients(x, x, Nd4j.createFromArray(new float[][] {{1, 1}, {1, 0}}));
    t.gradients(x, x, null);
    assertArrayEquals(new double[] {0, 0}, m.calls.get(0).initial(), 0);
    assertArrayEquals(new double[] {2, 2}, m.calls.get(1).initial(), 0);
    assertArrayEquals(new double[] {4, 3}, m.calls.get(2).initial(), 0); // row 1 had one valid step
    assertEquals(3, m.calls.get(2).backSteps());
    t.reset();
    assertNull(t.state());
    t.gradients(x, x, null);
    assertArrayEquals(new double[] {0, 0}, m.calls.get(3).initial(), 0);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class,
            () -> t.gradients(ids(new long[][] {{0}}), ids(new long[][] {{1}}), null));
    assertTrue(e.getMessage().contains("reset()"), e.getMessage());
  }

  @Test
  void trainCutsALongSeriesIntoChunksKeepingTheShortLastOne() {
    FakeStatefulModel m = new FakeStatefulModel(0);
    Tbptt<FakeStatefulModel.State> t = new Tbptt<>(m, 2);
    long[][] series = {{0, 1, 2, 0, 1, 2, 0}};
    INDArray x = ids(series);
    t.train(x, x, null, 3, new Sgd(0.1));
    assertEquals(3, m.calls.size());
    assertEquals(List.of(3, 3, 1), m.calls.stream().map(FakeStatefulModel.Call::steps).toList());
    assertArrayEquals(new double[] {6}, m.calls.get(2).initial(), 0);
    // shorter than k1: one chunk
    FakeStatefulModel m2 = new FakeStatefulModel(0);
    new Tbptt<>(m2, 2).train(x, x, null, 50, new Sgd(0.1));
    assertEquals(1, m2.calls.size());
    assertEquals(7, m2.calls.get(0).steps());
  }

  @Test
  void stepAppliesClippingAndTheOptimizer() {
    FakeStatefulModel m = new FakeStatefulModel(0);
    Tbptt<FakeStatefulModel.State> t = new Tbptt<>(m, 5).clipNorm(0.01);
    INDArray x = ids(new long[][] {{0, 0, 0}});
    INDArray y = ids(new long[][] {{0, 0, 0}}); // class 0 wanted: gradient of w is negative
    double raw = m.gradients(x, y).get("w").getDouble(0);
    assertTrue(raw < -0.01);
    t.step(x, y, null, new Sgd(1.0));
    assertEquals(0.01 * 1 / (1 + 1e-6 / Math.abs(raw)), m.w(), 1e-9); // w -= lr · clipped
  }

  @Test
  void nonFiniteGradientsStopBeforeTheUpdate() {
    FakeStatefulModel m = new FakeStatefulModel(0.5);
    m.infGradientAtCall = 2;
    Tbptt<FakeStatefulModel.State> t = new Tbptt<>(m, 5);
    INDArray x = ids(new long[][] {{0, 1}});
    t.step(x, x, null, new Sgd(0.1));
    double w = m.w();
    NonFiniteException e =
        assertThrows(NonFiniteException.class, () -> t.step(x, x, null, new Sgd(0.1)));
    assertEquals(2, e.iteration());
    assertTrue(e.getMessage().contains("gradient of w"), e.getMessage());
    assertEquals(w, m.w(), 0);
  }

  @Test
  void sequenceBatchesDriveTbpttWithStreamResets() {
    FakeStatefulModel m = new FakeStatefulModel(0);
    Tbptt<FakeStatefulModel.State> t = new Tbptt<>(m, 4);
    int[] tokens = new int[21]; // 2 rows of 10 steps, chunks 4, 4, 2
    SequenceBatches s = new SequenceBatches(tokens, 2, 4);
    for (int i = 0; i < 4; i++) {
      Batch b = s.next();
      if (b.startsStreams()) {
        t.reset();
      }
      t.gradients(b.x(), b.y(), b.mask());
    }
    assertArrayEquals(new double[] {0, 0}, m.calls.get(0).initial(), 0);
    assertArrayEquals(new double[] {8, 8}, m.calls.get(2).initial(), 0);
    assertEquals(2, m.calls.get(2).steps());
    assertArrayEquals(new double[] {0, 0}, m.calls.get(3).initial(), 0); // a new epoch
  }
}
