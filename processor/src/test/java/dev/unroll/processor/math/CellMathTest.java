package dev.unroll.processor.math;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import dev.unroll.processor.model.CellKind;
import dev.unroll.processor.validate.Fixtures;
import dev.unroll.processor.validate.GeneratedModels;
import dev.unroll.runtime.RecurrentModel;
import java.util.Set;
import java.util.function.DoubleUnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Each cell's math on a 2 × 3 example (batch 2, hidden 3, 2 features, 2 steps) against values worked
 * out here from the published equations, independently of the generator; and the statements of every
 * {@link CellMath} name only the locals the generator binds.
 */
class CellMathTest {
  private static final int B = 2;
  private static final int H = 3;
  private static final int F = 2;
  private static final int T = 2;

  @ParameterizedTest
  @EnumSource(CellKind.class)
  void generatedStepMatchesHandComputedEquations(CellKind kind) throws Exception {
    String cell = switch (kind) {
      case RNN_TANH -> "@Rnn(hidden = 3)";
      case RNN_RELU -> "@Rnn(hidden = 3, nonlinearity = Nonlinearity.RELU)";
      case LSTM -> "@Lstm(hidden = 3)";
      case GRU -> "@Gru(hidden = 3)";
      case GRU_RESET_BEFORE -> "@Gru(hidden = 3, resetAfter = false)";
    };
    Compilation compilation = Fixtures.compile(Fixtures.source("demo.Cell", "package demo;",
        "import dev.unroll.dsl.*;", cell + " @Features(2) @ManyToMany @Output(3)", "interface Cell {}"));
    assertThat(compilation).succeededWithoutWarnings();
    RecurrentModel model = GeneratedModels.instantiate(compilation, "demo.UnrolledCell", DataType.DOUBLE);
    int g = kind.gates();
    double[][] wih = fill(g * H, F, 0.31);
    double[][] whh = fill(g * H, H, -0.27);
    double[] bih = fill(1, g * H, 0.13)[0];
    double[] bhh = fill(1, g * H, -0.09)[0];
    model.parameters().get("rnn.weight_ih_l0").assign(Nd4j.createFromArray(wih));
    model.parameters().get("rnn.weight_hh_l0").assign(Nd4j.createFromArray(whh));
    model.parameters().get("rnn.bias_ih_l0").assign(Nd4j.createFromArray(bih));
    model.parameters().get("rnn.bias_hh_l0").assign(Nd4j.createFromArray(bhh));
    // fc = identity, so the logits are h_t
    model.parameters().get("fc.weight").assign(Nd4j.eye(H).castTo(DataType.DOUBLE));
    model.parameters().get("fc.bias").assign(0);
    double[][][] x = new double[B][T][F];
    for (int b = 0; b < B; b++) {
      for (int t = 0; t < T; t++) {
        for (int f = 0; f < F; f++) {
          x[b][t][f] = 0.5 * Math.sin(1 + b + 2 * t + 3 * f);
        }
      }
    }
    INDArray logits = model.forward(Nd4j.createFromArray(x));
    for (int b = 0; b < B; b++) {
      double[] h = new double[H];
      double[] c = new double[H];
      for (int t = 0; t < T; t++) {
        double[] xi = add(mv(wih, x[b][t]), bih);
        double[] hh = add(mv(whh, h), bhh);
        h = switch (kind) {
          case RNN_TANH -> map(add(xi, hh), Math::tanh);
          case RNN_RELU -> map(add(xi, hh), v -> Math.max(0, v));
          case LSTM -> {
            double[] next = new double[H];
            for (int k = 0; k < H; k++) {
              double i = sig(xi[k] + hh[k]);
              double f = sig(xi[H + k] + hh[H + k]);
              double gg = Math.tanh(xi[2 * H + k] + hh[2 * H + k]);
              double o = sig(xi[3 * H + k] + hh[3 * H + k]);
              c[k] = f * c[k] + i * gg;
              next[k] = o * Math.tanh(c[k]);
            }
            yield next;
          }
          case GRU -> {
            double[] next = new double[H];
            for (int k = 0; k < H; k++) {
              double r = sig(xi[k] + hh[k]);
              double z = sig(xi[H + k] + hh[H + k]);
              double n = Math.tanh(xi[2 * H + k] + r * hh[2 * H + k]);
              next[k] = (1 - z) * n + z * h[k];
            }
            yield next;
          }
          case GRU_RESET_BEFORE -> {
            double[] r = new double[H];
            double[] z = new double[H];
            for (int k = 0; k < H; k++) {
              r[k] = sig(xi[k] + hh[k]);
              z[k] = sig(xi[H + k] + hh[H + k]);
            }
            double[] rh = new double[H];
            for (int k = 0; k < H; k++) {
              rh[k] = r[k] * h[k];
            }
            double[] next = new double[H];
            for (int k = 0; k < H; k++) {
              double wn = 0;
              for (int j = 0; j < H; j++) {
                wn += whh[2 * H + k][j] * rh[j];
              }
              double n = Math.tanh(xi[2 * H + k] + wn + bhh[2 * H + k]);
              next[k] = (1 - z[k]) * n + z[k] * h[k];
            }
            yield next;
          }
        };
        for (int k = 0; k < H; k++) {
          assertEquals(h[k], logits.getDouble(b, t, k), 1e-12, kind + " h[" + b + ", " + t + ", " + k + "]");
        }
      }
    }
  }

  @Test
  void statementsNameOnlyBoundLocals() {
    Set<String> common = Set.of("Ops", "a", "h", "hPrev", "c", "cPrev", "weightHh", "biasHh", "tmp", "dh", "dhPrev",
        "dc", "dcPrev", "da", "daSeq", "input", "hPrevSeq", "gWeightIh", "gWeightHh", "gBiasIh", "gBiasHh");
    Pattern call = Pattern.compile("Ops\\.([a-zA-Z]+)\\(");
    for (CellKind kind : CellKind.values()) {
      CellMath math = CellMath.of(kind);
      assertEquals(kind, math.kind());
      assertEquals(kind.gates(), math.gates().size(), kind + " gates");
      Set<String> known = new java.util.HashSet<>(common);
      math.buffers().forEach(b -> {
        known.add(b.name());
        known.add(b.name() + "Seq");
      });
      math.views().forEach(v -> {
        known.add(v.name());
        known.add(v.name() + "Seq");
      });
      java.util.List<Phase> phases = new java.util.ArrayList<>(math.forward(true));
      phases.addAll(math.backward(true));
      phases.add(new Phase.Matrix(math.weightGradients(true)));
      for (Phase phase : phases) {
        if (phase instanceof Phase.Elements loop) {
          for (String array : concat(loop.reads(), loop.writes(), loop.once())) {
            assertTrue(known.contains(array), kind + ": element loop array '" + array + "' is not bound");
          }
        }
        for (Equation e : phase.equations()) {
          assertTrue(!e.equation().isBlank(), kind + ": every equation has its comment");
          for (String s : e.statements()) {
            if (phase instanceof Phase.Matrix) {
              Matcher m = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*").matcher(s.replaceAll("Ops\\.[a-zA-Z]+", "Ops"));
              while (m.find()) {
                assertTrue(known.contains(m.group()), kind + ": '" + m.group() + "' in " + s + " is not a bound local");
              }
            }
            Matcher op = call.matcher(s);
            while (op.find()) {
              assertTrue(hasOp(op.group(1)), kind + ": no runtime kernel Ops." + op.group(1));
            }
          }
        }
      }
    }
  }

  @Test
  void elementStatementsHaveNoFloatingPointLiterals() {
    // FLOAT models run the same statements with float locals: a literal such as 0.5 would make an
    // assignment to a float local a compile error, or silently widen the arithmetic to double
    Pattern literal = Pattern.compile("(?<![A-Za-z_0-9])(\\d+\\.\\d*|\\.\\d+|\\d+[eE][-+]?\\d+|\\d+[dDfF])");
    for (CellKind kind : CellKind.values()) {
      CellMath math = CellMath.of(kind);
      for (boolean bias : new boolean[] {true, false}) {
        java.util.List<Phase> phases = new java.util.ArrayList<>(math.forward(bias));
        phases.addAll(math.backward(bias));
        for (Phase phase : phases) {
          if (phase instanceof Phase.Elements) {
            for (Equation e : phase.equations()) {
              for (String s : e.statements()) {
                assertTrue(!literal.matcher(s).find(), kind + ": floating-point literal in '" + s + "'");
              }
            }
          }
        }
      }
    }
  }

  @SafeVarargs
  private static java.util.List<String> concat(java.util.List<String>... lists) {
    java.util.List<String> out = new java.util.ArrayList<>();
    for (var l : lists) {
      out.addAll(l);
    }
    return out;
  }

  private static boolean hasOp(String name) {
    for (var m : dev.unroll.runtime.internal.Ops.class.getMethods()) {
      if (m.getName().equals(name)) {
        return true;
      }
    }
    return false;
  }

  private static double[][] fill(int rows, int cols, double scale) {
    double[][] m = new double[rows][cols];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        m[r][c] = scale * Math.cos(0.7 * r + 1.3 * c + scale);
      }
    }
    return m;
  }

  private static double[] mv(double[][] w, double[] v) {
    double[] out = new double[w.length];
    for (int r = 0; r < w.length; r++) {
      for (int c = 0; c < v.length; c++) {
        out[r] += w[r][c] * v[c];
      }
    }
    return out;
  }

  private static double[] add(double[] a, double[] b) {
    double[] out = new double[a.length];
    for (int k = 0; k < a.length; k++) {
      out[k] = a[k] + b[k];
    }
    return out;
  }

  private static double[] map(double[] a, DoubleUnaryOperator f) {
    double[] out = new double[a.length];
    for (int k = 0; k < a.length; k++) {
      out[k] = f.applyAsDouble(a[k]);
    }
    return out;
  }

  private static double sig(double v) {
    return 1 / (1 + Math.exp(-v));
  }
}
