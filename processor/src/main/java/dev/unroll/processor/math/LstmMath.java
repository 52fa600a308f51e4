package dev.unroll.processor.math;

import dev.unroll.processor.model.CellKind;
import java.util.ArrayList;
import java.util.List;

/** LSTM, PyTorch gate order i, f, g, o. The only file that states LSTM math. */
final class LstmMath implements CellMath {

  @Override
  public CellKind kind() {
    return CellKind.LSTM;
  }

  @Override
  public List<Gate> gates() {
    return List.of(
        new Gate("i", Activation.SIGMOID, "input gate"),
        new Gate("f", Activation.SIGMOID, "forget gate"),
        new Gate("g", Activation.TANH, "cell candidate"),
        new Gate("o", Activation.SIGMOID, "output gate"));
  }

  @Override
  public boolean hasCellState() {
    return true;
  }

  @Override
  public boolean biasHhInProjection() {
    return true;
  }

  @Override
  public List<Buffer> buffers() {
    return List.of(new Buffer("tanhC", 1, Buffer.Scope.STEP, "tanh(c_t) of every step, kept for the backward pass"));
  }

  @Override
  public List<View> views() {
    return List.of();
  }

  @Override
  public List<Phase> forward(boolean bias) {
    return List.of(
        Phase.matrix(Equation.of("a_t = x_t W_ihᵀ" + (bias ? " + b_ih + b_hh" : "")
            + " (all steps, before the loop) + h_{t-1} W_hhᵀ", "Ops.addTimesTransposed(a, hPrev, weightHh);")),
        Phase.elements(List.of("a", "cPrev"), List.of("a", "c", "h", "tanhC"),
            Equation.row("[i f g o] = [σ σ tanh σ](a_t), in place in a for the backward pass",
                "act.sigmoid(a, 0, 2 * HIDDEN);", "act.tanh(a, 2 * HIDDEN, HIDDEN);",
                "act.sigmoid(a, 3 * HIDDEN, HIDDEN);"),
            Equation.of("c_t = f ⊙ c_{t-1} + i ⊙ g",
                "double i = a[k];", "double f = a[HIDDEN + k];", "double g = a[2 * HIDDEN + k];",
                "c[k] = f * cPrev[k] + i * g;"),
            Equation.row("tanh(c_t), kept for the backward pass", "act.tanh(c, 0, tanhC, 0, HIDDEN);"),
            Equation.of("h_t = o ⊙ tanh(c_t)", "double o = a[3 * HIDDEN + k];", "h[k] = o * tanhC[k];")));
  }

  @Override
  public List<Phase> backward(boolean bias) {
    return List.of(
        Phase.elements(List.of("dh", "dc", "a", "tanhC", "cPrev"), List.of("da", "dc"),
            Equation.of("the gates of step t", "double i = a[k];", "double f = a[HIDDEN + k];",
                "double g = a[2 * HIDDEN + k];", "double o = a[3 * HIDDEN + k];"),
            Equation.of("∂L/∂a_o = ∂L/∂h_t ⊙ tanh(c_t) ⊙ o ⊙ (1 − o)",
                "da[3 * HIDDEN + k] = dh[k] * tanhC[k] * o * (1 - o);"),
            Equation.of("∂L/∂c_t += ∂L/∂h_t ⊙ o ⊙ (1 − tanh²(c_t))",
                "double dct = dc[k] + dh[k] * o * (1 - tanhC[k] * tanhC[k]);"),
            Equation.of("∂L/∂a_i = ∂L/∂c_t ⊙ g ⊙ i ⊙ (1 − i)", "da[k] = dct * g * i * (1 - i);"),
            Equation.of("∂L/∂a_f = ∂L/∂c_t ⊙ c_{t-1} ⊙ f ⊙ (1 − f)", "da[HIDDEN + k] = dct * cPrev[k] * f * (1 - f);"),
            Equation.of("∂L/∂a_g = ∂L/∂c_t ⊙ i ⊙ (1 − g²)", "da[2 * HIDDEN + k] = dct * i * (1 - g * g);"),
            Equation.of("∂L/∂c_{t-1} = ∂L/∂c_t ⊙ f", "dc[k] = dct * f;")),
        Phase.matrix(Equation.of("∂L/∂h_{t-1} = ∂L/∂a_t W_hh", "Ops.product(dhPrev, da, weightHh);")));
  }

  @Override
  public List<Equation> weightGradients(boolean bias) {
    List<Equation> out = new ArrayList<>();
    out.add(CellMath.inputWeightGradient());
    out.add(Equation.of("∂L/∂W_hh = Σ_t ∂L/∂a_tᵀ h_{t-1}", "Ops.transposedTimes(gWeightHh, daSeq, hPrevSeq);"));
    if (bias) {
      out.add(Equation.of("∂L/∂b_ih = ∂L/∂b_hh = Σ_t ∂L/∂a_t",
          "Ops.columnSums(gBiasIh, daSeq);", "Ops.copy(gBiasHh, gBiasIh);"));
    }
    return out;
  }

  @Override
  public List<String> summary() {
    return List.of(
        "[i f g o] = [σ σ tanh σ](x_t W_ihᵀ + b_ih + h_{t-1} W_hhᵀ + b_hh)",
        "c_t = f ⊙ c_{t-1} + i ⊙ g",
        "h_t = o ⊙ tanh(c_t)");
  }
}
