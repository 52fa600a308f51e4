package dev.unroll.processor.math;

import dev.unroll.processor.model.CellKind;
import java.util.ArrayList;
import java.util.List;

/** Elman RNN: {@code h_t = act(x_t W_ihᵀ + b_ih + h_{t-1} W_hhᵀ + b_hh)}, act = tanh or ReLU. */
final class RnnMath implements CellMath {
  private final Activation activation;

  RnnMath(Activation activation) {
    assert activation == Activation.TANH || activation == Activation.RELU;
    this.activation = activation;
  }

  @Override
  public CellKind kind() {
    return activation == Activation.TANH ? CellKind.RNN_TANH : CellKind.RNN_RELU;
  }

  @Override
  public List<Gate> gates() {
    return List.of(new Gate("h", activation, "new state"));
  }

  @Override
  public boolean biasHhInProjection() {
    return true;
  }

  @Override
  public List<Buffer> buffers() {
    return List.of();
  }

  @Override
  public List<View> views() {
    return List.of();
  }

  @Override
  public List<Phase> forward(boolean bias) {
    Equation act = activation == Activation.TANH
        ? Equation.row("h_t = tanh(a_t)", "act.tanh(a, 0, h, 0, HIDDEN);")
        : Equation.of("h_t = relu(a_t)", "h[k] = Math.max(0, a[k]);");
    return List.of(
        Phase.matrix(Equation.of("a_t = x_t W_ihᵀ" + (bias ? " + b_ih + b_hh" : "")
            + " (all steps, before the loop) + h_{t-1} W_hhᵀ", "Ops.addTimesTransposed(a, hPrev, weightHh);")),
        Phase.elements(List.of("a"), List.of("h"), act));
  }

  @Override
  public List<Phase> backward(boolean bias) {
    Equation throughActivation = activation == Activation.TANH
        ? Equation.of("∂L/∂a_t = ∂L/∂h_t ⊙ (1 − h_t²)", "da[k] = dh[k] * (1 - h[k] * h[k]);")
        : Equation.of("∂L/∂a_t = ∂L/∂h_t ⊙ [h_t > 0]", "da[k] = h[k] > 0 ? dh[k] : 0;");
    return List.of(
        Phase.elements(List.of("dh", "h"), List.of("da"), throughActivation),
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
    return List.of("h_t = " + activation.symbol() + "(x_t W_ihᵀ + b_ih + h_{t-1} W_hhᵀ + b_hh)");
  }
}
