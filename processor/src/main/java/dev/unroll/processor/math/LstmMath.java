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
    return List.of(
        new View("i", "a", 0, 1), new View("f", "a", 1, 2), new View("g", "a", 2, 3), new View("o", "a", 3, 4),
        new View("daI", "da", 0, 1), new View("daF", "da", 1, 2), new View("daG", "da", 2, 3),
        new View("daO", "da", 3, 4));
  }

  @Override
  public List<Equation> forward(boolean bias) {
    return List.of(
        Equation.of("a_t = x_t W_ihᵀ" + (bias ? " + b_ih + b_hh" : "") + " (all steps, before the loop) + h_{t-1} W_hhᵀ",
            "Ops.addProductT(a, hPrev, weightHh);"),
        Equation.of("i = σ(a_i), f = σ(a_f), g = tanh(a_g), o = σ(a_o)",
            "Ops.sigmoid(i);", "Ops.sigmoid(f);", "Ops.tanh(g);", "Ops.sigmoid(o);"),
        Equation.of("c_t = f ⊙ c_{t-1} + i ⊙ g", "Ops.mul(c, f, cPrev);", "Ops.addMul(c, i, g);"),
        Equation.of("h_t = o ⊙ tanh(c_t)", "Ops.tanh(tanhC, c);", "Ops.mul(h, o, tanhC);"));
  }

  @Override
  public List<Equation> backward(boolean bias) {
    return List.of(
        Equation.of("∂L/∂a_o = ∂L/∂h_t ⊙ tanh(c_t) ⊙ o ⊙ (1 − o)",
            "Ops.mul(tmp, dh, tanhC);", "Ops.sigmoidGrad(daO, o, tmp);"),
        Equation.of("∂L/∂c_t += ∂L/∂h_t ⊙ o ⊙ (1 − tanh²(c_t))",
            "Ops.mul(tmp, dh, o);", "Ops.tanhGrad(tmp, tanhC, tmp);", "Ops.add(dc, dc, tmp);"),
        Equation.of("∂L/∂a_i = ∂L/∂c_t ⊙ g ⊙ i ⊙ (1 − i)", "Ops.mul(tmp, dc, g);", "Ops.sigmoidGrad(daI, i, tmp);"),
        Equation.of("∂L/∂a_f = ∂L/∂c_t ⊙ c_{t-1} ⊙ f ⊙ (1 − f)",
            "Ops.mul(tmp, dc, cPrev);", "Ops.sigmoidGrad(daF, f, tmp);"),
        Equation.of("∂L/∂a_g = ∂L/∂c_t ⊙ i ⊙ (1 − g²)", "Ops.mul(tmp, dc, i);", "Ops.tanhGrad(daG, g, tmp);"),
        Equation.of("∂L/∂c_{t-1} = ∂L/∂c_t ⊙ f", "Ops.mul(dcPrev, dc, f);"),
        Equation.of("∂L/∂h_{t-1} = ∂L/∂a_t W_hh", "Ops.product(dhPrev, da, weightHh);"));
  }

  @Override
  public List<Equation> weightGradients(boolean bias) {
    List<Equation> out = new ArrayList<>();
    out.add(CellMath.inputWeightGradient());
    out.add(Equation.of("∂L/∂W_hh = Σ_t ∂L/∂a_tᵀ h_{t-1}", "Ops.transposedProduct(gWeightHh, daSeq, hPrevSeq);"));
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
