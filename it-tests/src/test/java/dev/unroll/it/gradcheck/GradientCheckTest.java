package dev.unroll.it.gradcheck;

import static dev.unroll.it.TestArrays.distance;
import static dev.unroll.it.TestArrays.flat;
import static dev.unroll.it.TestArrays.norm;
import static dev.unroll.it.TestArrays.relativeError;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.runtime.Gradients;
import dev.unroll.runtime.ModelConfig;
import dev.unroll.runtime.ModelConfig.CellType;
import dev.unroll.runtime.ModelConfig.Topology;
import dev.unroll.runtime.RecurrentModel;
import dev.unroll.testing.Batch;
import dev.unroll.testing.GradientCheck;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Backpropagation through time against central differences, in float64, for every model of
 * {@link GradCheckModels} (every cell, topology, direction and bias setting), with and without a mask,
 * by the {@code unroll-testing} artifact's {@link GradientCheck}.
 *
 * <p>For each parameter array, up to {@value #SAMPLES} entries (a pseudo-random choice fixed by the
 * seed and the parameter's name; all of them in smaller arrays) are perturbed in place by ±1e-6 and
 * the loss read back; the numeric and analytic derivatives over those entries must agree by
 * {@link GradientCheck.Rule#DEFAULT}: a relative error ‖numeric − analytic‖ / ‖numeric‖ under 1e-6,
 * or, for arrays with tiny gradients, to within the rounding noise of the difference quotients (32
 * ulps of the loss per quotient). Dropout is 0, so the training-mode loss is deterministic.
 *
 * <p>The model's own seeded initialisation is multiplied by {@value #SCALE} (by {@value #RELU_SCALE}
 * for ReLU, whose activations grow without bound; the embedding table, N(0, 1) already, is left as it
 * is) so that the gates leave their linear range. A ReLU pre-activation within ε of its kink makes the
 * difference quotient meaningless: where an array of a ReLU model fails, entries whose quotient at
 * ε = 1e-6 and 1e-5 disagree are recognised as sitting on a kink and left out (at most
 * {@value #MAX_KINKS} per array).
 */
class GradientCheckTest {

  static final int B = 3;
  static final int T = 4;
  /** Valid steps per row in the masked checks: different lengths, one full row, one of length 1. */
  static final int[] LENGTHS = {4, 1, 3};

  static final GradientCheck.Rule RULE = GradientCheck.Rule.DEFAULT;
  static final int SAMPLES = 12;
  static final double SCALE = 2.0;
  static final double RELU_SCALE = 1.5;
  static final int MAX_KINKS = 2;
  static final long SEED = 7;

  static Stream<Arguments> checks() {
    List<Arguments> out = new ArrayList<>();
    for (String name : new TreeSet<>(GradCheckRegistry.MODELS.keySet())) {
      out.add(Arguments.of(name, false));
      out.add(Arguments.of(name, true));
    }
    return out.stream();
  }

  @Test
  void everyCombinationIsThere() {
    assertEquals(40, GradCheckRegistry.MODELS.size());
    TreeSet<String> seen = new TreeSet<>();
    for (String name : GradCheckRegistry.MODELS.keySet()) {
      RecurrentModel model = create(name);
      ModelConfig c = model.config();
      assertEquals(DataType.DOUBLE, model.dataType(), name);
      assertEquals(0.0, c.dropout(), name);
      seen.add(c.cell() + " " + c.topology() + " bidirectional=" + c.bidirectional() + " bias=" + c.bias());
    }
    assertEquals(5 * 2 * 2 * 2, seen.size(), "distinct cell x topology x direction x bias: " + seen);
  }

  @ParameterizedTest(name = "{0} masked={1}")
  @MethodSource("checks")
  void analyticGradientsMatchCentralDifferences(String name, boolean masked) {
    String label = name + (masked ? " (masked)" : " (unmasked)");
    RecurrentModel model = create(name);
    ModelConfig c = model.config();
    double scale = c.cell() == CellType.RNN_RELU ? RELU_SCALE : SCALE;
    for (Map.Entry<String, INDArray> e : model.parameters().entrySet()) {
      if (!e.getKey().startsWith("embedding.")) { // N(0, 1) already: large enough
        e.getValue().muli(scale);
      }
    }
    Batch.Sequences batch =
        batch(c, masked, new Random(SEED * 1_000_003L + name.hashCode() * 2L + (masked ? 1 : 0)));

    GradientCheck.Result r = GradientCheck.of(model).inputs(batch).rule(RULE).samples(SAMPLES).maxKinks(MAX_KINKS)
        .seed(SEED).run();
    assertTrue(Double.isFinite(r.loss()) && r.loss() > 0, label + ": loss " + r.loss());
    assertEquals(List.copyOf(model.parameters().keySet()),
        r.arrays().stream().map(GradientCheck.ArrayCheck::name).toList(), label + ": arrays checked");
    assertTrue(r.passed(), label + ":\n" + r.report());

    // The parameters are back as they were: the perturbations were undone exactly.
    Gradients after = batch.gradients(model);
    assertEquals(r.loss(), after.loss(), 1e-14 * r.loss(), label + ": loss changed by the check");

    if (masked) {
      checkPaddingIsIgnored(label, model, c, batch);
    }
  }

  private static RecurrentModel create(String name) {
    return GradCheckRegistry.MODELS.get(name).create(SEED, DataType.DOUBLE);
  }

  /**
   * Random inputs: features uniform in [-1, 1] or token ids, class targets; many-to-many targets have
   * one ignored (-100) target at a valid step, and -100 at every padded step. Padded steps of x hold
   * random values too (the model must ignore them).
   */
  static Batch.Sequences batch(ModelConfig c, boolean masked, Random rnd) {
    INDArray x;
    if (c.embedded()) {
      long[][] ids = new long[B][T];
      for (long[] row : ids) {
        for (int t = 0; t < T; t++) {
          row[t] = rnd.nextInt(c.vocab());
        }
      }
      x = Nd4j.createFromArray(ids);
    } else {
      double[][][] v = new double[B][T][c.features()];
      for (double[][] row : v) {
        for (double[] step : row) {
          for (int f = 0; f < step.length; f++) {
            step[f] = 2 * rnd.nextDouble() - 1;
          }
        }
      }
      x = Nd4j.createFromArray(v);
    }
    int[] lengths = new int[B];
    Arrays.fill(lengths, T);
    INDArray mask = null;
    if (masked) {
      lengths = LENGTHS.clone();
      double[][] m = new double[B][T];
      for (int b = 0; b < B; b++) {
        for (int t = 0; t < lengths[b]; t++) {
          m[b][t] = 1;
        }
      }
      mask = Nd4j.createFromArray(m);
    }
    INDArray y;
    if (c.topology() == Topology.MANY_TO_ONE) {
      long[] ids = new long[B];
      for (int b = 0; b < B; b++) {
        ids[b] = rnd.nextInt(c.output());
      }
      y = Nd4j.createFromArray(ids);
    } else {
      long[][] ids = new long[B][T];
      for (int b = 0; b < B; b++) {
        for (int t = 0; t < T; t++) {
          ids[b][t] = t < lengths[b] ? rnd.nextInt(c.output()) : -100;
        }
      }
      ids[0][1] = -100; // an ignored target at a valid step (row 0 is full length in both checks)
      y = Nd4j.createFromArray(ids);
    }
    return new Batch.Sequences(x, y, mask);
  }

  /**
   * With a mask, what x holds at padded steps must not matter, and many-to-many logits at padded
   * steps are {@code fc.bias}.
   */
  private static void checkPaddingIsIgnored(
      String label, RecurrentModel model, ModelConfig c, Batch.Sequences batch) {
    INDArray logits = model.forward(batch.x(), batch.mask());
    INDArray other = batch.x().dup();
    Random rnd = new Random(SEED);
    for (int b = 0; b < B; b++) {
      for (int t = LENGTHS[b]; t < T; t++) {
        if (c.embedded()) {
          other.putScalar(new long[] {b, t}, rnd.nextInt(c.vocab()));
        } else {
          for (int f = 0; f < c.features(); f++) {
            other.putScalar(new long[] {b, t, f}, 10 * rnd.nextGaussian());
          }
        }
      }
    }
    INDArray logits2 = model.forward(other, batch.mask());
    double err = relativeError(logits2, logits);
    assertTrue(err < 1e-12, label + ": logits depend on x at padded steps (relative change " + err + ")");
    Gradients g2 = new Batch.Sequences(other, batch.y(), batch.mask()).gradients(model);
    double lossErr = Math.abs(g2.loss() - batch.gradients(model).loss());
    assertTrue(lossErr < 1e-12, label + ": loss depends on x at padded steps (change " + lossErr + ")");

    if (c.topology() == Topology.MANY_TO_MANY) {
      double[] bias = flat(model.parameters().get("fc.bias"));
      for (int b = 0; b < B; b++) {
        for (int t = LENGTHS[b]; t < T; t++) {
          double[] row = new double[c.output()];
          for (int o = 0; o < row.length; o++) {
            row[o] = logits.getDouble(b, t, o);
          }
          assertTrue(distance(row, bias) <= 1e-12 * (1 + norm(bias)),
              label + ": logits at padded step [" + b + ", " + t + "] are " + Arrays.toString(row)
                  + ", expected fc.bias " + Arrays.toString(bias));
        }
      }
    }
  }
}
