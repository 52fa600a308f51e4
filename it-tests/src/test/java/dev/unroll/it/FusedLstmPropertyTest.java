package dev.unroll.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.runtime.internal.FusedLstm;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * {@link FusedLstm#forward} against a plain per-step LSTM in double arithmetic at random sizes and
 * layouts: batch 1–96, steps 1–120, inputs and hidden units 1–300, both directions, with and
 * without biases, and with the input, the state buffers and the weights given as strided views of
 * wider arrays (which the op must copy to dense memory: oneDNN aborts the JVM on some CPUs when it
 * is handed strided arguments, see {@link FusedLstm}). The work per case is capped at {@link #MAX_WORK}
 * multiply-adds so that the property runs in seconds.
 *
 * <p>Each case is printed before the native call: an abort in native code kills the test JVM, and
 * then jqwik cannot report or shrink the case, so the last line printed names it.
 */
class FusedLstmPropertyTest {
  /** The cap on batch · steps · 4H · (I + H) per case. */
  static final long MAX_WORK = 120_000_000L;

  /** float32 op against a double reference over up to 300 + 300 products per unit. */
  private static final double TOLERANCE = 2e-4;

  record Case(int batch, int steps, int inputs, int hidden, boolean reverse, boolean biases,
      boolean stridedInput, boolean stridedState, boolean stridedWeights, long seed) {
    long work() {
      return (long) batch * steps * 4 * hidden * (inputs + hidden);
    }
  }

  @Provide
  Arbitrary<Case> cases() {
    Arbitrary<Integer> batch = Arbitraries.integers().between(1, 96);
    Arbitrary<Integer> steps = Arbitraries.integers().between(1, 120);
    Arbitrary<Integer> size = Arbitraries.integers().between(1, 300);
    Arbitrary<Boolean> flag = Arbitraries.of(true, false);
    Arbitrary<Long> seed = Arbitraries.longs();
    return Combinators.combine(batch, steps, size, size, flag, flag, flag, flag)
        .as((b, t, i, h, reverse, biases, stridedInput, stridedState) ->
            new Case(b, t, i, h, reverse, biases, stridedInput, stridedState, false, 0))
        .flatMap(c -> Combinators.combine(flag, seed).as((stridedWeights, s) -> new Case(c.batch(), c.steps(),
            c.inputs(), c.hidden(), c.reverse(), c.biases(), c.stridedInput(), c.stridedState(), stridedWeights, s)))
        .filter(c -> c.work() <= MAX_WORK);
  }

  @Property(tries = 50, shrinking = ShrinkingMode.OFF, seed = "20261202")
  void fusedForwardMatchesThePerStepReference(@ForAll("cases") Case c) {
    Random random = new Random(c.seed());
    int b = c.batch();
    int t = c.steps();
    int in = c.inputs();
    int h = c.hidden();
    INDArray input = maybeStrided(random(random, (long) t * b, in), c.stridedInput(), random);
    INDArray weightIh = maybeStrided(random(random, 4L * h, in).muli(1.0 / Math.sqrt(in)), c.stridedWeights(), random);
    INDArray weightHh = maybeStrided(random(random, 4L * h, h).muli(1.0 / Math.sqrt(h)), c.stridedWeights(), random);
    INDArray biasIh = c.biases() ? random(random, 1, 4L * h).reshape(4L * h) : null;
    INDArray biasHh = c.biases() ? random(random, 1, 4L * h).reshape(4L * h) : null;
    // the initial state sits in the first block (forward) or the last (reverse); set it before the
    // buffers become strided views (ND4J's get() on such views can lose their data)
    long first = c.reverse() ? (long) t * b : 0;
    INDArray h0 = random(random, b, h);
    INDArray c0 = random(random, b, h);
    INDArray hDense = Nd4j.zeros(DataType.FLOAT, (long) (t + 1) * b, h);
    INDArray cDense = Nd4j.zeros(DataType.FLOAT, (long) (t + 1) * b, h);
    hDense.get(NDArrayIndex.interval(first, first + b), NDArrayIndex.all()).assign(h0);
    cDense.get(NDArrayIndex.interval(first, first + b), NDArrayIndex.all()).assign(c0);
    INDArray hSeq = maybeStrided(hDense, c.stridedState(), random);
    INDArray cSeq = maybeStrided(cDense, c.stridedState(), random);

    double[][][] expected = reference(c, input, weightIh, weightHh, biasIh, biasHh, h0, c0);

    System.out.println("FusedLstmPropertyTest case " + c + " (work " + c.work() + ")");
    System.out.flush();
    FusedLstm layer = c.reverse() ? FusedLstm.backwardInTime() : FusedLstm.forwardInTime();
    layer.forward(b, t, input, weightIh, weightHh, biasIh, biasHh, hSeq, cSeq);

    double worst = 0;
    for (int step = 0; step < t; step++) {
      // forward: h after step s is block s + 1; reverse: h of step s is block s
      long block = c.reverse() ? step : step + 1;
      for (int row = 0; row < b; row++) {
        for (int u = 0; u < h; u++) {
          double actual = hSeq.getDouble(block * b + row, u);
          worst = Math.max(worst, Math.abs(actual - expected[0][step * b + row][u]));
        }
      }
    }
    long finalBlock = c.reverse() ? 0 : t;
    for (int row = 0; row < b; row++) {
      for (int u = 0; u < h; u++) {
        worst = Math.max(worst, Math.abs(cSeq.getDouble(finalBlock * b + row, u) - expected[1][row][u]));
      }
    }
    assertTrue(worst < TOLERANCE, c + ": max |fused - reference| = " + worst);
  }

  /**
   * The LSTM recurrence in double: {@code [0][s·B + r]} is h after step s (in the layer's own order of
   * steps: for the reverse direction step s is the state after the steps from s on), {@code [1][r]}
   * the final c.
   */
  private static double[][][] reference(Case c, INDArray input, INDArray weightIh, INDArray weightHh,
      INDArray biasIh, INDArray biasHh, INDArray h0, INDArray c0) {
    int b = c.batch();
    int t = c.steps();
    int in = c.inputs();
    int h = c.hidden();
    double[][] wih = matrix(weightIh);
    double[][] whh = matrix(weightHh);
    double[][] x = matrix(input);
    double[][] hs = new double[t * b][];
    double[][] hPrev = matrix(h0);
    double[][] cPrev = matrix(c0);
    double[] gates = new double[4 * h];
    for (int k = 0; k < t; k++) {
      int step = c.reverse() ? t - 1 - k : k;
      double[][] hNext = new double[b][h];
      double[][] cNext = new double[b][h];
      for (int r = 0; r < b; r++) {
        double[] xr = x[step * b + r];
        for (int g = 0; g < 4 * h; g++) {
          double a = c.biases() ? biasIh.getDouble(g) + biasHh.getDouble(g) : 0;
          for (int j = 0; j < in; j++) {
            a += xr[j] * wih[g][j];
          }
          for (int j = 0; j < h; j++) {
            a += hPrev[r][j] * whh[g][j];
          }
          gates[g] = a;
        }
        for (int u = 0; u < h; u++) {
          double i = sigmoid(gates[u]);
          double f = sigmoid(gates[h + u]);
          double g = Math.tanh(gates[2 * h + u]);
          double o = sigmoid(gates[3 * h + u]);
          cNext[r][u] = f * cPrev[r][u] + i * g;
          hNext[r][u] = o * Math.tanh(cNext[r][u]);
        }
        hs[step * b + r] = hNext[r];
      }
      hPrev = hNext;
      cPrev = cNext;
    }
    return new double[][][] {hs, cPrev};
  }

  private static double sigmoid(double a) {
    return 1 / (1 + Math.exp(-a));
  }

  private static double[][] matrix(INDArray m) {
    return m.castTo(DataType.DOUBLE).toDoubleMatrix();
  }

  private static INDArray random(Random random, long rows, long columns) {
    float[] values = new float[Math.toIntExact(rows * columns)];
    for (int i = 0; i < values.length; i++) {
      values[i] = (float) (random.nextDouble() * 2 - 1);
    }
    return Nd4j.create(values, new long[] {rows, columns}, 'c');
  }

  /** {@code m} itself, or a copy of it as the middle columns of a wider row-major matrix (a strided view). */
  private static INDArray maybeStrided(INDArray m, boolean strided, Random random) {
    if (!strided) {
      return m;
    }
    long pad = 1 + random.nextInt(5);
    INDArray wide = Nd4j.zeros(m.dataType(), m.size(0), m.size(1) + 2 * pad);
    INDArray view = wide.get(NDArrayIndex.all(), NDArrayIndex.interval(pad, pad + m.size(1)));
    return view.assign(m);
  }
}
