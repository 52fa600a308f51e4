package dev.unroll.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.runtime.internal.FusedLstm;
import dev.unroll.runtime.Gradients;
import dev.unroll.runtime.RecurrentModel;
import dev.unroll.runtime.RuntimeOptions;
import dev.unroll.runtime.RuntimeOptions.Switch;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Evaluation passes of float32 LSTM models through libnd4j's fused {@code lstmLayer} op
 * ({@link FusedLstm}) against the generated step loop, with {@code -Dunroll.fusedLstm=true} and
 * {@code false} forcing each path. On the default jar ({@code -onednn-avx2}) the op runs on oneDNN,
 * which picks its implementation by CPU and size: the benchmark shapes run at batch 1 and 64, and the
 * build runs this class a second time with oneDNN limited to AVX2 ({@code DNNL_MAX_CPU_ISA=AVX2}, the
 * Surefire execution {@code fused-lstm-avx2}), where strided weights once aborted the JVM from batch 16
 * on. With the plain jar the op is libnd4j's generic kernel: the same arguments and buffer layout.
 */
class FusedLstmTest {
  /** The two paths use different σ and tanh (libnd4j's vs our rational float32 forms). */
  private static final double TOLERANCE = 2e-6;

  /** {@code call}'s result with the fused path switched to {@code mode}. */
  private static <T> T with(Switch mode, Supplier<T> call) {
    return RuntimeOptions.with(o -> o.withFusedLstm(mode), call);
  }

  private static INDArray features(int batch, int steps, int features) {
    Nd4j.getRandom().setSeed(batch * 1000L + steps);
    return Nd4j.rand(DataType.FLOAT, batch, steps, features).subi(0.5).muli(4);
  }

  private static void assertClose(INDArray expected, INDArray actual, String what) {
    assertArrayEquals(expected.shape(), actual.shape(), what + ": shape");
    double diff = expected.sub(actual).amaxNumber().doubleValue();
    assertTrue(diff < TOLERANCE, what + ": max |generated - fused| = " + diff);
    assertTrue(expected.amaxNumber().doubleValue() > 1e-3, what + ": the comparison needs non-trivial values");
  }

  private static void assertSameForward(RecurrentModel model, INDArray x, String what) {
    INDArray generated = with(Switch.OFF, () -> model.forward(x));
    INDArray fused = with(Switch.ON, () -> model.forward(x));
    assertClose(generated, fused, what);
  }

  @Test
  void twoLayerBidirectionalManyToMany() {
    RecurrentModel m = new UnrolledTestModels_DeepTagger(11, DataType.FLOAT);
    assertSameForward(m, features(3, 6, 7), "DeepTagger");
    // a second shape resizes the op's scratch
    assertSameForward(m, features(5, 4, 7), "DeepTagger, new shape");
  }

  @ParameterizedTest(name = "{0} at batch {1}")
  @CsvSource({"a, 1", "a, 64", "b, 1", "b, 64", "d, 1", "d, 64", "bidirectional two-layer, 1",
      "bidirectional two-layer, 64"})
  void benchmarkShapes(String shape, int batch) {
    RecurrentModel model;
    int features;
    int steps;
    switch (shape) {
      case "a" -> {
        model = new UnrolledBenchmarkShapes_A(21, DataType.FLOAT);
        features = 64;
        steps = 50;
      }
      case "b" -> {
        model = new UnrolledBenchmarkShapes_B(22, DataType.FLOAT);
        features = 128;
        steps = 100;
      }
      case "d" -> {
        model = new UnrolledBenchmarkShapes_D(23, DataType.FLOAT);
        features = 256;
        steps = 35;
      }
      default -> {
        model = new UnrolledBenchmarkShapes_BidirectionalTwoLayer(24, DataType.FLOAT);
        features = 64;
        steps = 50;
      }
    }
    INDArray x = features(batch, steps, features);
    System.out.println("FusedLstmTest: shape " + shape + ", batch " + batch + ", steps " + steps);
    System.out.flush();
    assertSameForward(model, x, "shape " + shape + " at batch " + batch);
    // the default switch (auto) gives the same numbers whichever path it takes on this machine
    assertClose(with(Switch.OFF, () -> model.forward(x)), with(Switch.AUTO, () -> model.forward(x)),
        "shape " + shape + " at batch " + batch + ", auto");
  }

  @Test
  void tokensAndNoBiases() {
    RecurrentModel m = new UnrolledTestModels_TokenLstm(12, DataType.FLOAT);
    INDArray ids = Nd4j.createFromArray(new long[][] {{1, 4, 9, 0, 3}, {7, 7, 2, 5, 8}});
    assertSameForward(m, ids, "TokenLstm");
  }

  @Test
  void fullyUnrolled() {
    assertSameForward(new UnrolledTestModels_FixedSteps(13, DataType.FLOAT), features(4, 7, 9), "FixedSteps");
  }

  @Test
  void carriedStateInAndOut() {
    var m = new UnrolledTestModels_Classifier(14, DataType.FLOAT);
    INDArray first = features(3, 5, 9);
    INDArray second = features(3, 8, 9);
    var start = with(Switch.OFF, () -> m.forward(first, null, null)).state();
    var generated = with(Switch.OFF, () -> m.forward(second, null, start));
    var fused = with(Switch.ON, () -> m.forward(second, null, start));
    assertClose(generated.logits(), fused.logits(), "logits");
    assertClose(generated.state().h0(), fused.state().h0(), "final h");
    assertClose(generated.state().c0(), fused.state().c0(), "final c");
  }

  @Test
  void trainingAfterAFusedPassIsUnchanged() {
    var fusedFirst = new UnrolledTestModels_Classifier(15, DataType.FLOAT);
    var plain = new UnrolledTestModels_Classifier(15, DataType.FLOAT);
    INDArray x = features(4, 6, 9);
    INDArray y = Nd4j.createFromArray(new long[] {0, 2, 1, 2});
    with(Switch.ON, () -> fusedFirst.forward(x));
    Gradients a = with(Switch.ON, () -> fusedFirst.gradients(x, y));
    Gradients b = with(Switch.OFF, () -> plain.gradients(x, y));
    assertEquals(b.loss(), a.loss(), 0.0);
    b.asMap().forEach((name, g) -> assertArrayEquals(TestArrays.flat(g), TestArrays.flat(a.get(name)), name));
  }

  @Test
  void maskedAndDoublePassesKeepTheGeneratedLoop() {
    var m = new UnrolledTestModels_Classifier(16, DataType.FLOAT);
    INDArray x = features(2, 5, 9);
    INDArray mask = Nd4j.createFromArray(new float[][] {{1, 1, 1, 0, 0}, {1, 1, 1, 1, 1}});
    INDArray generated = with(Switch.OFF, () -> m.forward(x, mask));
    INDArray fused = with(Switch.ON, () -> m.forward(x, mask));
    assertArrayEquals(TestArrays.flat(generated), TestArrays.flat(fused), "a masked pass never takes the fused op");
    assertFalse(FusedLstm.enabled(DataType.DOUBLE, 2, 50, 16));
    var d = new UnrolledTestModels_Classifier(16, DataType.DOUBLE);
    INDArray xd = x.castTo(DataType.DOUBLE);
    assertArrayEquals(TestArrays.flat(with(Switch.OFF, () -> d.forward(xd))), TestArrays.flat(with(Switch.ON, () -> d.forward(xd))),
        "float64 never takes the fused op");
  }

  @Test
  void theSwitchNamesItsValues() {
    java.util.Properties sometimes = new java.util.Properties();
    sometimes.setProperty(RuntimeOptions.FUSED_LSTM, "sometimes");
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RuntimeOptions.fromProperties(sometimes));
    assertTrue(e.getMessage().contains("auto, true or false") && e.getMessage().contains("sometimes"), e.getMessage());
    assertEquals(FusedLstm.oneDnn(), with(Switch.AUTO, () -> FusedLstm.enabled(DataType.FLOAT, 2, 50, 16)));
    // short passes keep the step loop (the op's call costs more than it saves there)
    assertFalse(with(Switch.AUTO, () -> FusedLstm.enabled(DataType.FLOAT, 32, 1, 16)));
    assertFalse(with(Switch.AUTO, () -> FusedLstm.enabled(DataType.FLOAT, 2, 31, 16)));
    // a single row takes the op only while libnd4j runs one thread (oneDNN's threads cost more there)
    assertEquals(FusedLstm.oneDnn() && Nd4j.getEnvironment().maxThreads() <= 1,
        with(Switch.AUTO, () -> FusedLstm.enabled(DataType.FLOAT, 1, 200, 16)));
    // wide batches of wide layers keep the step loop (oneDNN's LSTM slows down there), narrower ones not
    assertFalse(with(Switch.AUTO, () -> FusedLstm.enabled(DataType.FLOAT, 64, 35, 512)));
    assertFalse(with(Switch.AUTO, () -> FusedLstm.enabled(DataType.FLOAT, 64, 100, 256)));
    assertEquals(FusedLstm.oneDnn(), with(Switch.AUTO, () -> FusedLstm.enabled(DataType.FLOAT, 32, 50, 512)));
    assertEquals(FusedLstm.oneDnn(), with(Switch.AUTO, () -> FusedLstm.enabled(DataType.FLOAT, 64, 50, 128)));
  }
}
