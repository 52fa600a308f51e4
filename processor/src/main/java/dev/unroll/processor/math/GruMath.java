package dev.unroll.processor.math;

import dev.unroll.processor.model.CellKind;
import java.util.ArrayList;
import java.util.List;

/** GRU in PyTorch's form (reset gate after the recurrent product), gate order r, z, n. */
final class GruMath implements CellMath {

  @Override
  public CellKind kind() {
    return CellKind.GRU;
  }

  @Override
  public List<Gate> gates() {
    return List.of(
        new Gate("r", Activation.SIGMOID, "reset gate"),
        new Gate("z", Activation.SIGMOID, "update gate"),
        new Gate("n", Activation.TANH, "candidate state"));
  }

  @Override
  public boolean biasHhInProjection() {
    return false;
  }

  @Override
  public List<Buffer> buffers() {
    return List.of(
        new Buffer("hh", 3, Buffer.Scope.STEP, "h_{t-1} W_hhᵀ + b_hh of every step, kept for the backward pass"),
        new Buffer("dhh", 3, Buffer.Scope.STEP, "∂L/∂hh of every step, summed into ∂L/∂W_hh after the loop"));
  }

  @Override
  public List<View> views() {
    return List.of(
        new View("rz", "a", 0, 2), new View("r", "a", 0, 1), new View("z", "a", 1, 2), new View("n", "a", 2, 3),
        new View("hhRz", "hh", 0, 2), new View("hhN", "hh", 2, 3),
        new View("daRz", "da", 0, 2), new View("daR", "da", 0, 1), new View("daZ", "da", 1, 2),
        new View("daN", "da", 2, 3),
        new View("dhhRz", "dhh", 0, 2), new View("dhhN", "dhh", 2, 3));
  }

  @Override
  public List<Equation> forward(boolean bias) {
    return List.of(
        bias
            ? Equation.of("hh = h_{t-1} W_hhᵀ + b_hh", "Ops.productT(hh, hPrev, weightHh);", "Ops.addRow(hh, biasHh);")
            : Equation.of("hh = h_{t-1} W_hhᵀ", "Ops.productT(hh, hPrev, weightHh);"),
        Equation.of("r = σ(a_r + hh_r), z = σ(a_z + hh_z)   (a_t = x_t W_ihᵀ" + (bias ? " + b_ih" : "")
            + ", all steps before the loop)", "Ops.add(rz, rz, hhRz);", "Ops.sigmoid(rz);"),
        Equation.of("n = tanh(a_n + r ⊙ hh_n)", "Ops.addMul(n, r, hhN);", "Ops.tanh(n);"),
        Equation.of("h_t = (1 − z) ⊙ n + z ⊙ h_{t-1}", "Ops.lerp(h, n, hPrev, z);"));
  }

  @Override
  public List<Equation> backward(boolean bias) {
    return List.of(
        Equation.of("∂L/∂a_z = ∂L/∂h_t ⊙ (h_{t-1} − n) ⊙ z ⊙ (1 − z)",
            "Ops.sub(tmp, hPrev, n);", "Ops.mul(tmp, tmp, dh);", "Ops.sigmoidGrad(daZ, z, tmp);"),
        Equation.of("∂L/∂a_n = ∂L/∂h_t ⊙ (1 − z) ⊙ (1 − n²)",
            "Ops.mul(tmp, dh, z);", "Ops.sub(tmp, dh, tmp);", "Ops.tanhGrad(daN, n, tmp);"),
        Equation.of("∂L/∂hh_n = ∂L/∂a_n ⊙ r,   ∂L/∂a_r = ∂L/∂a_n ⊙ hh_n ⊙ r ⊙ (1 − r)",
            "Ops.mul(dhhN, daN, r);", "Ops.mul(tmp, daN, hhN);", "Ops.sigmoidGrad(daR, r, tmp);"),
        Equation.of("∂L/∂hh_r = ∂L/∂a_r,   ∂L/∂hh_z = ∂L/∂a_z", "Ops.copy(dhhRz, daRz);"),
        Equation.of("∂L/∂h_{t-1} = ∂L/∂hh W_hh + ∂L/∂h_t ⊙ z",
            "Ops.product(dhPrev, dhh, weightHh);", "Ops.addMul(dhPrev, dh, z);"));
  }

  @Override
  public List<Equation> weightGradients(boolean bias) {
    List<Equation> out = new ArrayList<>();
    out.add(CellMath.inputWeightGradient());
    out.add(Equation.of("∂L/∂W_hh = Σ_t ∂L/∂hh_tᵀ h_{t-1}", "Ops.transposedProduct(gWeightHh, dhhSeq, hPrevSeq);"));
    if (bias) {
      out.add(Equation.of("∂L/∂b_ih = Σ_t ∂L/∂a_t,   ∂L/∂b_hh = Σ_t ∂L/∂hh_t",
          "Ops.columnSums(gBiasIh, daSeq);", "Ops.columnSums(gBiasHh, dhhSeq);"));
    }
    return out;
  }

  @Override
  public List<String> summary() {
    return List.of(
        "[r z] = σ(x_t W_i{r,z}ᵀ + b_i{r,z} + h_{t-1} W_h{r,z}ᵀ + b_h{r,z})",
        "n = tanh(x_t W_inᵀ + b_in + r ⊙ (h_{t-1} W_hnᵀ + b_hn))",
        "h_t = (1 − z) ⊙ n + z ⊙ h_{t-1}");
  }
}
