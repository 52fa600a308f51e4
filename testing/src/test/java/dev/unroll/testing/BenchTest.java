package dev.unroll.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.runtime.UnrolledModel;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/** {@link Bench}: the multiply-add count against the formula by hand, and plausible figures. */
class BenchTest {

  /** G·(I + H)·H per row-step per layer and direction, plus the output layer, worked out by hand. */
  @Test
  void multiplyAddsFollowTheFormula() {
    int b = 2;
    int t = 5;
    // LSTM, G = 4, I = 3, H = 4, many-to-one: 4·(3 + 4)·4 per row-step, fc 3×4 once per row
    assertEquals(b * t * 4 * (3 + 4) * 4 + b * 3 * 4,
        Bench.forwardMultiplyAdds(new UnrolledTestModels_Classifier(1, DataType.FLOAT), b, t));
    // bidirectional GRU, G = 3, I = 3 (embedding), H = 4, many-to-many: fc 5×8 per row-step
    assertEquals(b * t * (2 * 3 * (3 + 4) * 4 + 5 * 8),
        Bench.forwardMultiplyAdds(new UnrolledTestModels_Tagger(1, DataType.FLOAT), b, t));
    // two ReLU layers, G = 1, H = 4: layer 0 I = 3, layer 1 I = 4; fc 3×4 per row-step
    assertEquals(b * t * ((3 + 4) * 4 + (4 + 4) * 4 + 3 * 4),
        Bench.forwardMultiplyAdds(new UnrolledTestModels_DropoutRelu(1, DataType.FLOAT), b, t));
    // one-to-many GRU, I = 3, H = 4: init 4×4 once per row, fc 6×4 per row-step
    assertEquals(b * 4 * 4 + b * t * (3 * (3 + 4) * 4 + 6 * 4),
        Bench.forwardMultiplyAdds(new UnrolledTestModels_Captioner(1, DataType.FLOAT), b, t));
    // seq2seq LSTM, H = 3, I = 3: bidirectional encoder over the source, bridge and bridge_c 3×6 once
    // per row and layer, decoder and fc 5×3 over the target
    assertEquals(b * t * 2 * 4 * (3 + 3) * 3 + b * 2 * 3 * 6 + b * t * (4 * (3 + 3) * 3 + 5 * 3),
        Bench.forwardMultiplyAdds(new UnrolledTestModels_Translator(1, DataType.FLOAT), b, t));
  }

  @Test
  void figuresArePositiveAndConsistent() {
    UnrolledModel model = new UnrolledTestModels_Tagger(1, DataType.FLOAT);
    Bench.Result r = Bench.run(model, 4, 6, 1, 3);
    assertEquals("UnrolledTestModels_Tagger", r.model());
    assertEquals(DataType.FLOAT, r.dataType());
    assertEquals(4, r.batch());
    assertEquals(6, r.steps());
    assertEquals(3, r.iterations());
    assertEquals(Bench.forwardMultiplyAdds(model, 4, 6), r.forwardMultiplyAdds());
    assertTrue(r.forwardMillis() > 0 && Double.isFinite(r.forwardMillis()), r.toString());
    assertTrue(r.trainMillis() > 0 && Double.isFinite(r.trainMillis()), r.toString());
    assertEquals(2.0 * r.forwardMultiplyAdds() / (r.forwardMillis() * 1e6), r.forwardGflops(), 1e-12);
    assertEquals(6.0 * r.forwardMultiplyAdds() / (r.trainMillis() * 1e6), r.trainGflops(), 1e-12);
    assertTrue(r.forwardGflops() > 0 && r.trainGflops() > 0, r.toString());
    assertTrue(r.toString().startsWith("UnrolledTestModels_Tagger FLOAT B4 T6: forward "), r.toString());
    System.out.println(r);
  }

  @Test
  void everyKindRuns() {
    for (UnrolledModel m : new UnrolledModel[] {new UnrolledTestModels_Captioner(1, DataType.DOUBLE),
        new UnrolledTestModels_Translator(1, DataType.DOUBLE)}) {
      Bench.Result r = Bench.run(m, 2, 3, 0, 1);
      assertTrue(r.forwardGflops() > 0 && r.trainGflops() > 0, r.toString());
    }
  }

  @Test
  void badSizesAreNamed() {
    UnrolledModel model = new UnrolledTestModels_Classifier(1, DataType.FLOAT);
    var e = assertThrows(IllegalArgumentException.class, () -> Bench.run(model, 0, 5));
    assertEquals("batch and steps must be at least 1; got batch = 0, steps = 5", e.getMessage());
    var e2 = assertThrows(IllegalArgumentException.class, () -> Bench.run(model, 2, 5, 1, 0));
    assertEquals("warm-up must be >= 0 and iterations >= 1; got warmup = 1, iterations = 0", e2.getMessage());
  }
}
