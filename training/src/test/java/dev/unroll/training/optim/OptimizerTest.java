package dev.unroll.training.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.runtime.Npz;
import dev.unroll.runtime.internal.Views;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Each optimizer against the published update formula, evaluated here element by element in double
 * arithmetic. The gradient depends on the current parameters (a quadratic bowl plus a step-dependent
 * term), so a wrong update in one step changes every later one.
 */
class OptimizerTest {

  private static final int STEPS = 6;
  private static final double[] START_A = {0.5, -1.2, 2.0, 0.03, -0.7, 1.1};
  private static final double[] START_B = {0.25, -0.4, 3.0};

  @TempDir Path dir;

  /** One parameter's reference update, element-wise in double arithmetic; {@code s} is its state. */
  interface Reference {
    void step(double[] p, double[] g, int t, double[][] s);
  }

  /** The gradient at step t of element i: 2 (p - 0.3) + 0.5 sin(t + i). */
  private static double[] gradient(double[] p, int t) {
    double[] g = new double[p.length];
    for (int i = 0; i < p.length; i++) {
      g[i] = 2 * (p[i] - 0.3) + 0.5 * Math.sin(t + i);
    }
    return g;
  }

  private static INDArray gradientArray(INDArray p, int t) {
    double[] v = p.dup().data().asDouble();
    return Nd4j.create(gradient(v, t), p.shape(), p.dataType());
  }

  /** Runs both for STEPS steps on two parameters and compares after every step. */
  private static void check(Optimizer opt, Reference ref, double tolerance) {
    check(opt, ref, tolerance, DataType.DOUBLE);
  }

  private static void check(Optimizer opt, Reference ref, double tolerance, DataType type) {
    Map<String, INDArray> params = new LinkedHashMap<>();
    params.put("a", Nd4j.create(START_A, new long[] {2, 3}, type));
    params.put("b", Nd4j.create(START_B, new long[] {3}, type));
    double[] a = START_A.clone();
    double[] b = START_B.clone();
    double[][] sa = new double[4][a.length];
    double[][] sb = new double[4][b.length];
    for (int t = 1; t <= STEPS; t++) {
      Map<String, INDArray> grads = new LinkedHashMap<>();
      grads.put("a", gradientArray(params.get("a"), t));
      grads.put("b", gradientArray(params.get("b"), t));
      double[] ga = gradient(a, t);
      double[] gb = gradient(b, t);
      opt.step(params, grads);
      ref.step(a, ga, t, sa);
      ref.step(b, gb, t, sb);
      assertClose(a, params.get("a"), tolerance, "a after step " + t);
      assertClose(b, params.get("b"), tolerance, "b after step " + t);
    }
    assertEquals(STEPS, opt.stepCount());
  }

  private static void assertClose(double[] expected, INDArray actual, double tol, String what) {
    double[] v = actual.castTo(DataType.DOUBLE).dup().data().asDouble();
    assertEquals(expected.length, v.length, what);
    for (int i = 0; i < v.length; i++) {
      double scale = Math.max(1, Math.abs(expected[i]));
      assertEquals(expected[i], v[i], tol * scale, what + " [" + i + "]");
    }
  }

  // ---------------------------------------------------------------------------------------------
  // SGD

  private static Reference sgd(double lr, double mom, double damp, boolean nesterov, double wd) {
    return (p, g, t, s) -> {
      double[] buf = s[0];
      for (int i = 0; i < p.length; i++) {
        double d = g[i] + wd * p[i];
        if (mom != 0) {
          buf[i] = t == 1 ? d : mom * buf[i] + (1 - damp) * d;
          d = nesterov ? d + mom * buf[i] : buf[i];
        }
        p[i] -= lr * d;
      }
    };
  }

  @Test
  void plainSgd() {
    check(new Sgd(0.1), sgd(0.1, 0, 0, false, 0), 1e-14);
    // p1 = p0 - lr * g1, worked by hand for the first element: g = 2 (0.5 - 0.3) + 0.5 sin(1)
    Map<String, INDArray> p = Map.of("w", Nd4j.createFromArray(0.5));
    new Sgd(0.1).step(p, Map.of("w", Nd4j.createFromArray(0.4 + 0.5 * Math.sin(1))));
    assertEquals(0.5 - 0.1 * (0.4 + 0.5 * Math.sin(1)), p.get("w").getDouble(0), 1e-15);
  }

  @Test
  void sgdWithMomentumDampeningAndWeightDecay() {
    check(
        Sgd.builder().lr(0.05).momentum(0.9).dampening(0.1).weightDecay(0.01).build(),
        sgd(0.05, 0.9, 0.1, false, 0.01),
        1e-13);
  }

  @Test
  void sgdFirstMomentumStepUsesTheGradientUndamped() {
    Map<String, INDArray> p = new LinkedHashMap<>(Map.of("w", Nd4j.createFromArray(1.0)));
    Sgd opt = Sgd.builder().lr(1).momentum(0.5).dampening(0.5).build();
    opt.step(p, Map.of("w", Nd4j.createFromArray(2.0)));
    assertEquals(1 - 2.0, p.get("w").getDouble(0), 0); // buf = g = 2, not 0.5 * 2
    opt.step(p, Map.of("w", Nd4j.createFromArray(2.0)));
    assertEquals(-1 - (0.5 * 2 + 0.5 * 2), p.get("w").getDouble(0), 0); // buf = 0.5·2 + 0.5·2
  }

  @Test
  void sgdNesterov() {
    check(
        Sgd.builder().lr(0.05).momentum(0.8).nesterov(true).weightDecay(0.02).build(),
        sgd(0.05, 0.8, 0, true, 0.02),
        1e-13);
    assertThrows(IllegalArgumentException.class, () -> Sgd.builder().nesterov(true).build());
  }

  @Test
  void sgdInFloat() {
    check(Sgd.builder().lr(0.05).momentum(0.9).build(), sgd(0.05, 0.9, 0, false, 0), 1e-5,
        DataType.FLOAT);
  }

  // ---------------------------------------------------------------------------------------------
  // Adam and AdamW

  private static Reference adam(
      double lr, double b1, double b2, double eps, double wd, boolean amsgrad, boolean decoupled) {
    return (p, g, t, s) -> {
      double[] m = s[0];
      double[] v = s[1];
      double[] vmax = s[2];
      for (int i = 0; i < p.length; i++) {
        double d = g[i];
        if (decoupled) {
          p[i] *= 1 - lr * wd;
        } else {
          d += wd * p[i];
        }
        m[i] = b1 * m[i] + (1 - b1) * d;
        v[i] = b2 * v[i] + (1 - b2) * d * d;
        double second = v[i];
        if (amsgrad) {
          vmax[i] = Math.max(vmax[i], v[i]);
          second = vmax[i];
        }
        double mHat = m[i] / (1 - Math.pow(b1, t));
        double vHat = Math.sqrt(second) / Math.sqrt(1 - Math.pow(b2, t));
        p[i] -= lr * mHat / (vHat + eps);
      }
    };
  }

  @Test
  void adamDefaults() {
    check(new Adam(), adam(1e-3, 0.9, 0.999, 1e-8, 0, false, false), 1e-13);
  }

  @Test
  void adamFirstStepMovesEachParameterByAboutLr() {
    // at t = 1, m̂ = g and v̂ = g², so the step is lr · g / (|g| + eps) ≈ lr · sign(g)
    Map<String, INDArray> p = Map.of("w", Nd4j.createFromArray(1.0, 1.0));
    new Adam(0.1).step(p, Map.of("w", Nd4j.createFromArray(3.0, -0.5)));
    assertEquals(1 - 0.1 * 3 / (3 + 1e-8), p.get("w").getDouble(0), 1e-15);
    assertEquals(1 + 0.1 * 0.5 / (0.5 + 1e-8), p.get("w").getDouble(1), 1e-15);
  }

  @Test
  void adamWithL2AndAmsgrad() {
    check(
        Adam.builder().lr(0.01).betas(0.8, 0.95).eps(1e-6).weightDecay(0.1).amsgrad(true).build(),
        adam(0.01, 0.8, 0.95, 1e-6, 0.1, true, false),
        1e-13);
  }

  @Test
  void adamW() {
    check(new AdamW(0.01), adam(0.01, 0.9, 0.999, 1e-8, 1e-2, false, true), 1e-13);
    check(
        AdamW.builder().lr(0.02).weightDecay(0.5).amsgrad(true).build(),
        adam(0.02, 0.9, 0.999, 1e-8, 0.5, true, true),
        1e-13);
  }

  @Test
  void adamWDiffersFromAdamWithTheSameDecay() {
    Map<String, INDArray> p1 = Map.of("w", Nd4j.createFromArray(2.0));
    Map<String, INDArray> p2 = Map.of("w", Nd4j.createFromArray(2.0));
    Map<String, INDArray> g = Map.of("w", Nd4j.createFromArray(0.0));
    AdamW.builder().lr(0.1).weightDecay(0.5).build().step(p1, g);
    Adam.builder().lr(0.1).weightDecay(0.5).build().step(p2, g);
    assertEquals(2 * (1 - 0.1 * 0.5), p1.get("w").getDouble(0), 1e-15); // shrink only
    assertEquals(2 - 0.1 * 1.0 / (1.0 + 1e-8), p2.get("w").getDouble(0), 1e-12); // g = 0.5 · 2
  }

  @Test
  void adamUpdatesRowViewsAndHigherRanksInPlace() {
    // a parameter that is rows 1–2 of a larger buffer (as a model's parameters are views), and one of
    // rank 3: each must move exactly as the same values do as a plain vector, and nothing else moves
    INDArray big = Nd4j.create(new double[] {9, 9, 9, 0.5, -1.2, 2.0, 0.03, -0.7, 1.1, 7, 7, 7}, new long[] {4, 3},
        DataType.DOUBLE);
    INDArray rank3 = Nd4j.create(START_A, new long[] {1, 2, 3}, DataType.DOUBLE);
    Map<String, INDArray> params = new LinkedHashMap<>();
    params.put("view", Views.rows(big, 1, 3));
    params.put("rank3", rank3);
    params.put("b", Nd4j.create(START_B, new long[] {3}, DataType.DOUBLE));
    Map<String, INDArray> plain = new LinkedHashMap<>();
    plain.put("view", Nd4j.create(START_A, new long[] {6}, DataType.DOUBLE));
    plain.put("rank3", Nd4j.create(START_A, new long[] {6}, DataType.DOUBLE));
    plain.put("b", Nd4j.create(START_B, new long[] {3}, DataType.DOUBLE));
    Optimizer shaped = Adam.builder().lr(0.05).amsgrad(true).build();
    Optimizer flat = Adam.builder().lr(0.05).amsgrad(true).build();
    for (int t = 1; t <= STEPS; t++) {
      Map<String, INDArray> g = new LinkedHashMap<>();
      Map<String, INDArray> gFlat = new LinkedHashMap<>();
      for (String name : params.keySet()) {
        g.put(name, gradientArray(params.get(name), t));
        gFlat.put(name, gradientArray(plain.get(name), t));
      }
      shaped.step(params, g);
      flat.step(plain, gFlat);
    }
    for (String name : params.keySet()) {
      assertClose(plain.get(name).data().asDouble(), params.get(name).dup(), 0, name);
    }
    assertClose(plain.get("view").data().asDouble(), Views.rows(big, 1, 3).dup(), 0, "the view's rows of the buffer");
    assertClose(new double[] {9, 9, 9}, Views.rows(big, 0, 1).dup(), 0, "the row before the view");
    assertClose(new double[] {7, 7, 7}, Views.rows(big, 3, 4).dup(), 0, "the row after the view");
  }

  @Test
  void columnMajorGradientsAreReadAndColumnMajorParametersRefusedWithNothingUpdated() {
    Map<String, INDArray> rowMajor = new LinkedHashMap<>();
    rowMajor.put("a", Nd4j.create(START_A, new long[] {2, 3}, DataType.DOUBLE));
    Map<String, INDArray> fromColumnMajorGrad = new LinkedHashMap<>();
    fromColumnMajorGrad.put("a", Nd4j.create(START_A, new long[] {2, 3}, DataType.DOUBLE));
    INDArray g = gradientArray(rowMajor.get("a"), 1);
    new Adam(0.1).step(rowMajor, Map.of("a", g));
    new Adam(0.1).step(fromColumnMajorGrad, Map.of("a", g.dup('f')));
    assertClose(rowMajor.get("a").data().asDouble(), fromColumnMajorGrad.get("a"), 0, "with an 'f'-order gradient");

    Map<String, INDArray> params = new LinkedHashMap<>();
    params.put("b", Nd4j.create(START_B, new long[] {3}, DataType.DOUBLE));
    params.put("a", Nd4j.create(START_A, new long[] {2, 3}, DataType.DOUBLE).dup('f'));
    Map<String, INDArray> grads = new LinkedHashMap<>();
    grads.put("b", gradientArray(params.get("b"), 1));
    grads.put("a", gradientArray(params.get("a"), 1));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Adam().step(params, grads));
    assertTrue(e.getMessage().contains("parameter a has strides") && e.getMessage().contains("row-major"), e.getMessage());
    assertClose(START_B, params.get("b"), 0, "b, untouched although it came first");
  }

  @Test
  void adamInFloat() {
    check(new Adam(0.01), adam(0.01, 0.9, 0.999, 1e-8, 0, false, false), 1e-5, DataType.FLOAT);
  }

  // ---------------------------------------------------------------------------------------------
  // RMSprop

  private static Reference rmsProp(
      double lr, double alpha, double eps, double wd, double mom, boolean centered) {
    return (p, g, t, s) -> {
      double[] sq = s[0];
      double[] ga = s[1];
      double[] buf = s[2];
      for (int i = 0; i < p.length; i++) {
        double d = g[i] + wd * p[i];
        sq[i] = alpha * sq[i] + (1 - alpha) * d * d;
        double avg;
        if (centered) {
          ga[i] = alpha * ga[i] + (1 - alpha) * d;
          avg = Math.sqrt(sq[i] - ga[i] * ga[i]) + eps;
        } else {
          avg = Math.sqrt(sq[i]) + eps;
        }
        if (mom > 0) {
          buf[i] = mom * buf[i] + d / avg;
          p[i] -= lr * buf[i];
        } else {
          p[i] -= lr * d / avg;
        }
      }
    };
  }

  @Test
  void rmsPropDefaults() {
    check(new RmsProp(), rmsProp(1e-2, 0.99, 1e-8, 0, 0, false), 1e-13);
  }

  @Test
  void rmsPropCenteredWithMomentumAndDecay() {
    check(
        RmsProp.builder().lr(0.005).alpha(0.9).momentum(0.7).centered(true).weightDecay(0.03).build(),
        rmsProp(0.005, 0.9, 1e-8, 0.03, 0.7, true),
        1e-12);
  }

  @Test
  void rmsPropFirstStepByHand() {
    // s = 0.01 g², so p -= lr · g / (0.1 |g| + eps) = lr · 10 · sign(g)
    Map<String, INDArray> p = Map.of("w", Nd4j.createFromArray(1.0));
    new RmsProp(0.01).step(p, Map.of("w", Nd4j.createFromArray(4.0)));
    assertEquals(1 - 0.01 * 4 / (Math.sqrt(0.01 * 16) + 1e-8), p.get("w").getDouble(0), 1e-15);
  }

  // ---------------------------------------------------------------------------------------------
  // Adagrad

  private static Reference adagrad(double lr, double lrDecay, double wd, double init, double eps) {
    return (p, g, t, s) -> {
      double[] sum = s[0];
      double clr = lr / (1 + (t - 1) * lrDecay);
      for (int i = 0; i < p.length; i++) {
        if (t == 1) {
          sum[i] = init;
        }
        double d = g[i] + wd * p[i];
        sum[i] += d * d;
        p[i] -= clr * d / (Math.sqrt(sum[i]) + eps);
      }
    };
  }

  @Test
  void adagradDefaults() {
    check(new Adagrad(), adagrad(1e-2, 0, 0, 0, 1e-10), 1e-13);
  }

  @Test
  void adagradWithDecayAndAccumulator() {
    check(
        Adagrad.builder().lr(0.1).lrDecay(0.5).weightDecay(0.05).initialAccumulatorValue(0.2).build(),
        adagrad(0.1, 0.5, 0.05, 0.2, 1e-10),
        1e-13);
  }

  // ---------------------------------------------------------------------------------------------
  // shared behaviour

  @Test
  void stateRoundTripThroughNpzContinuesIdentically() throws IOException {
    for (Supplier<Optimizer> make :
        java.util.List.<Supplier<Optimizer>>of(
            () -> Sgd.builder().lr(0.1).momentum(0.9).nesterov(true).build(),
            () -> Adam.builder().lr(0.01).amsgrad(true).build(),
            () -> new AdamW(0.01),
            () -> RmsProp.builder().momentum(0.5).centered(true).build(),
            () -> Adagrad.builder().lrDecay(0.1).build())) {
      Optimizer first = make.get();
      Map<String, INDArray> p1 = params();
      for (int t = 1; t <= 3; t++) {
        first.step(p1, grads(p1, t));
      }
      first.setLearningRate(first.learningRate() * 0.5);
      Path file = Files.createTempFile(dir, "state", ".npz");
      Npz.write(file, first.state());
      Optimizer second = make.get();
      second.loadState(Npz.read(file));
      assertEquals(3, second.stepCount(), first.toString());
      assertEquals(first.learningRate(), second.learningRate(), 0);
      Map<String, INDArray> p2 = new LinkedHashMap<>();
      p1.forEach((k, v) -> p2.put(k, v.dup()));
      for (int t = 4; t <= 6; t++) {
        first.step(p1, grads(p1, t));
        second.step(p2, grads(p2, t));
      }
      for (String k : p1.keySet()) {
        assertEquals(p1.get(k), p2.get(k), first + " " + k);
      }
    }
  }

  @Test
  void stateNamesFollowPyTorch() {
    Adam adam = new Adam();
    Map<String, INDArray> p = params();
    adam.step(p, grads(p, 1));
    Map<String, INDArray> s = adam.state();
    assertTrue(s.containsKey("exp_avg/a"), s.keySet().toString());
    assertTrue(s.containsKey("exp_avg_sq/b"), s.keySet().toString());
    assertEquals(1, s.get("step").getLong(0));
    assertEquals(DataType.INT64, s.get("step").dataType());
    assertEquals(0, s.get("step").rank());
    assertThrows(IllegalArgumentException.class, () -> new Sgd(0.1).loadState(s));
  }

  @Test
  void mismatchedKeysOrShapesChangeNothing() {
    Map<String, INDArray> p = params();
    INDArray before = p.get("a").dup();
    Sgd sgd = new Sgd(0.1);
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class,
            () -> sgd.step(p, Map.of("a", Nd4j.zeros(DataType.DOUBLE, 2, 3))));
    assertTrue(e.getMessage().contains("no gradient for parameter b"), e.getMessage());
    Map<String, INDArray> wrong = new LinkedHashMap<>(grads(p, 1));
    wrong.put("a", Nd4j.zeros(DataType.DOUBLE, 6));
    e = assertThrows(IllegalArgumentException.class, () -> sgd.step(p, wrong));
    assertTrue(e.getMessage().contains("gradient of a is [6]"), e.getMessage());
    assertEquals(before, p.get("a"));
    assertEquals(0, sgd.stepCount());
    assertThrows(IllegalArgumentException.class, () -> sgd.setLearningRate(Double.NaN));
  }

  private static Map<String, INDArray> params() {
    Map<String, INDArray> params = new LinkedHashMap<>();
    params.put("a", Nd4j.create(START_A, new long[] {2, 3}, DataType.DOUBLE));
    params.put("b", Nd4j.create(START_B, new long[] {3}, DataType.DOUBLE));
    return params;
  }

  private static Map<String, INDArray> grads(Map<String, INDArray> params, int t) {
    Map<String, INDArray> g = new LinkedHashMap<>();
    params.forEach((k, v) -> g.put(k, gradientArray(v, t)));
    return g;
  }
}
