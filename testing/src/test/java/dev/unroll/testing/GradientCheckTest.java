package dev.unroll.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.runtime.UnrolledModel;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/** {@link GradientCheck} passes on every kind of generated model and fails on a wrong gradient. */
class GradientCheckTest {

  static final Map<String, Function<DataType, UnrolledModel>> MODELS = new LinkedHashMap<>();

  static {
    MODELS.put("Classifier", t -> new UnrolledTestModels_Classifier(3, t));
    MODELS.put("Tagger", t -> new UnrolledTestModels_Tagger(3, t));
    MODELS.put("DropoutRelu", t -> new UnrolledTestModels_DropoutRelu(3, t));
    MODELS.put("Captioner", t -> new UnrolledTestModels_Captioner(3, t));
    MODELS.put("Translator", t -> new UnrolledTestModels_Translator(3, t));
  }

  static Stream<Arguments> kinds() {
    return MODELS.keySet().stream().flatMap(n -> Stream.of(Arguments.of(n, false), Arguments.of(n, true)));
  }

  @ParameterizedTest(name = "{0} ragged={1}")
  @MethodSource("kinds")
  void passesOnEveryKindOfModel(String name, boolean ragged) {
    UnrolledModel model = MODELS.get(name).apply(DataType.DOUBLE);
    Map<String, INDArray> before = copy(model.parameters());

    GradientCheck.Result r = GradientCheck.of(model).batch(3).steps(4).ragged(ragged).assertPasses();

    assertTrue(r.passed(), r.report());
    assertEquals(List.copyOf(model.parameters().keySet()), r.arrays().stream().map(GradientCheck.ArrayCheck::name).toList());
    int entries = 0;
    for (GradientCheck.ArrayCheck a : r.arrays()) {
      long size = model.parameters().get(a.name()).length();
      assertEquals(Math.min(12, size) - a.kinks().size(), a.indices().length, a.name() + ": entries checked");
      assertTrue(a.relativeError() < 1e-6 || a.numericNorm() < 1e-3, a.name() + ": " + a.relativeError());
      entries += a.indices().length + a.kinks().size();
    }
    // the analytic gradients, the forward loss (no dropout only), two per entry (four more per entry of
    // an array with kinks)
    int base = model.config().dropout() == 0 ? 2 : 1;
    assertTrue(r.passes() >= base + 2 * entries, "passes " + r.passes() + " for " + entries + " entries");
    assertTrue(r.report().contains("passed"), r.report());
    for (Map.Entry<String, INDArray> e : model.parameters().entrySet()) {
      assertEquals(before.get(e.getKey()), e.getValue(), e.getKey() + " changed by the check");
    }
  }

  @Test
  void aFloat32ModelIsCheckedThroughItsFloat64Twin() {
    UnrolledModel model = MODELS.get("Tagger").apply(DataType.FLOAT);
    GradientCheck.Result r = GradientCheck.of(model).batch(3).steps(4).ragged(true).assertPasses();
    assertEquals(DataType.FLOAT, r.dataType());
    assertEquals(model.parameters().size(), r.arrays().size());
  }

  /**
   * A gradient off by 1e-4 at one sampled entry fails the check, and the message names the
   * parameter, the entry, and its analytic and numeric values.
   */
  @Test
  void aWrongGradientFailsNamingParameterEntryAndValues() {
    var model = new UnrolledTestModels_Classifier(3, DataType.DOUBLE);
    GradientCheck.ArrayCheck right = GradientCheck.of(model).seed(5).run().array("rnn.weight_hh_l0");
    assertTrue(right.passed(), right.problem());
    long[] entry = right.indices()[4];
    double delta = 1e-4;

    var wrong = new PerturbedModel(model, "rnn.weight_hh_l0", entry, delta);
    AssertionError e = assertThrows(AssertionError.class, () -> GradientCheck.of(wrong).seed(5).assertPasses());

    String msg = e.getMessage();
    assertTrue(msg.contains("FAILED, 1 of " + model.parameters().size() + " parameter arrays wrong"), msg);
    assertTrue(msg.contains("rnn.weight_hh_l0 [16, 4]: relative error"), msg);
    double analytic = right.analytic()[4] + delta;
    assertTrue(msg.contains("worst entry " + Arrays.toString(entry) + ": analytic " + analytic + ", numeric "
        + right.numeric()[4]), msg);
    assertFalse(msg.contains("rnn.weight_ih_l0 ["), "only the wrong array is reported: " + msg);
  }

  /** A training pass whose loss is not the forward pass's (here off by 1e-9) is reported. */
  @Test
  void aLossThatDisagreesWithTheForwardPassFails() {
    var model = new UnrolledTestModels_Classifier(3, DataType.DOUBLE);
    var wrong = new PerturbedModel(model, "fc.bias", new long[] {0}, 0, 1e-9);
    GradientCheck.Result r = GradientCheck.of(wrong).run();
    assertFalse(r.passed());
    assertTrue(r.report().contains("FAILED, 0 of 0 parameter arrays wrong, 1 other problem\n  the loss of forward(...) is "),
        r.report());
    assertTrue(r.report().contains(" but gradients(...) reports " + r.loss() + ": without dropout the two passes must"
        + " compute the same function"), r.report());
  }

  /** Off by little more than the tolerance: 1e-5 of the array's norm is still caught. */
  @Test
  void aSmallErrorIsCaughtByTheRule() {
    var model = new UnrolledTestModels_Captioner(3, DataType.DOUBLE);
    GradientCheck.Result r = GradientCheck.of(model).run();
    for (GradientCheck.ArrayCheck a : r.arrays()) {
      double[] wrong = a.analytic().clone();
      wrong[0] += Math.max(1e-5 * a.numericNorm(), 1e-7);
      assertTrue(GradientCheck.Rule.DEFAULT.judge(a.name(), a.shape(), a.indices(), a.numeric(), wrong, r.loss())
          != null, a.name() + ": a wrong entry passed");
    }
  }

  /** A model of 5 M parameters checks in seconds: the cost is per sampled entry, not per parameter. */
  @Test
  void aFiveMillionParameterModelChecksInSeconds() {
    var model = new UnrolledTestModels_Large(3, DataType.DOUBLE);
    long parameters = model.parameters().values().stream().mapToLong(INDArray::length).sum();
    assertEquals(5_000_610, parameters);
    long t0 = System.nanoTime();
    GradientCheck.Result r = GradientCheck.of(model).batch(2).steps(3).assertPasses();
    double seconds = (System.nanoTime() - t0) / 1e9;
    System.out.printf(Locale.ROOT, "GradientCheck of a %d-parameter LSTM (B2 T3): %d passes in %.1f s%n",
        parameters, r.passes(), seconds);
    assertEquals(2 + 2 * (5 * 12 + 10), r.passes()); // 5 arrays of > 12 entries, fc.bias of 10
  }

  @Test
  void badArgumentsAreNamed() {
    var model = new UnrolledTestModels_Classifier(3, DataType.DOUBLE);
    var e1 = assertThrows(IllegalArgumentException.class, () -> GradientCheck.of(model).batch(0));
    assertEquals("batch must be at least 1, got 0", e1.getMessage());
    var captioner = new UnrolledTestModels_Captioner(3, DataType.DOUBLE);
    Batch wrongKind = Batch.random(captioner, 2, 3, false, 1);
    var e2 = assertThrows(IllegalArgumentException.class, () -> GradientCheck.of(model).inputs(wrongKind).run());
    assertTrue(e2.getMessage().contains("this batch is for a OneToManyModel, but UnrolledTestModels_Classifier"
        + " is not one: use Batch.Sequences"), e2.getMessage());
    // a float32 model whose class cannot make a float64 twin
    var float32 = new PerturbedModel(new UnrolledTestModels_Classifier(3, DataType.FLOAT), "fc.bias",
        new long[] {0}, 0);
    var e3 = assertThrows(IllegalArgumentException.class, () -> GradientCheck.of(float32).run());
    assertTrue(e3.getMessage().contains("has no public (long seed, DataType) constructor: pass a model built with"
        + " DataType.DOUBLE instead"), e3.getMessage());
  }

  private static Map<String, INDArray> copy(Map<String, INDArray> params) {
    Map<String, INDArray> out = new LinkedHashMap<>();
    params.forEach((k, v) -> out.put(k, v.dup()));
    return out;
  }
}
