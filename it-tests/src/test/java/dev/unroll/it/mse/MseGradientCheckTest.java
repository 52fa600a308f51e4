package dev.unroll.it.mse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.runtime.Gradients;
import dev.unroll.runtime.RecurrentModel;
import dev.unroll.testing.Batch;
import dev.unroll.testing.GradientCheck;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Backpropagation through time of {@code @Output(loss = Loss.MSE)} models against central differences
 * in float64, by the {@code unroll-testing} artifact's {@link GradientCheck} (its default rule), with
 * and without a mask; and the mask, not the targets' values, deciding which steps count.
 */
class MseGradientCheckTest {

  private static final Map<String, BiFunction<Long, DataType, RecurrentModel>> MODELS = Map.of(
      "LstmManyToOneTwoLayer", UnrolledMseGradientCheckModels_LstmManyToOneTwoLayer::new,
      "GruBidirectionalManyToOne", UnrolledMseGradientCheckModels_GruBidirectionalManyToOne::new,
      "GruManyToManyFactor3", UnrolledMseGradientCheckModels_GruManyToManyFactor3::new,
      "LstmBidirectionalManyToMany", UnrolledMseGradientCheckModels_LstmBidirectionalManyToMany::new,
      "RnnManyToManyTwoLayer", UnrolledMseGradientCheckModels_RnnManyToManyTwoLayer::new);

  static Stream<Arguments> checks() {
    List<Arguments> out = new ArrayList<>();
    for (String name : new java.util.TreeSet<>(MODELS.keySet())) {
      out.add(Arguments.of(name, false));
      out.add(Arguments.of(name, true));
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0} ragged={1}")
  @MethodSource("checks")
  void gradientsMatchCentralDifferences(String name, boolean ragged) {
    RecurrentModel model = MODELS.get(name).apply(7L, DataType.DOUBLE);
    for (INDArray p : model.parameters().values()) {
      p.muli(2.0);
    }
    GradientCheck.Result r = GradientCheck.of(model).batch(3).steps(5).ragged(ragged).seed(11).samples(12)
        .assertPasses();
    assertTrue(r.passed(), r.report());
  }

  @Test
  void paddedStepTargets_doNotMatter_theMaskDecides() {
    RecurrentModel model = MODELS.get("GruManyToManyFactor3").apply(3L, DataType.DOUBLE);
    Batch.Sequences batch = (Batch.Sequences) Batch.random(model, 4, 6, true, 5);
    Gradients g = batch.gradients(model);
    INDArray y = batch.y().dup();
    INDArray mask = batch.mask();
    for (long b = 0; b < y.size(0); b++) {
      for (long t = 0; t < y.size(1); t++) {
        if (mask.getDouble(b, t) == 0) {
          for (long j = 0; j < y.size(2); j++) {
            y.putScalar(new long[] {b, t, j}, Double.NaN);
          }
        }
      }
    }
    Gradients h = model.gradients(batch.x(), y, mask);
    assertEquals(g.loss(), h.loss(), 0.0);
    for (String p : g.asMap().keySet()) {
      assertEquals(g.get(p), h.get(p), p);
    }
    assertTrue(Double.isFinite(h.loss()));
  }
}
