package dev.unroll.processor.math;

import dev.unroll.processor.model.CellKind;
import java.util.ArrayList;
import java.util.List;

/** GRU in the form of Cho et al. (2014): the reset gate scales h before the recurrent product. */
final class GruResetBeforeMath implements CellMath {

  @Override
  public CellKind kind() {
    return CellKind.GRU_RESET_BEFORE;
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
    return true;
  }

  @Override
  public List<Buffer> buffers() {
    return List.of(
        new Buffer("rh", 1, Buffer.Scope.STEP, "r ⊙ h_{t-1} of every step, kept for ∂L/∂W_hn"),
        new Buffer("hhRz", 2, Buffer.Scope.SCRATCH, "h_{t-1} W_h{r,z}ᵀ"),
        new Buffer("hhN", 1, Buffer.Scope.SCRATCH, "(r ⊙ h_{t-1}) W_hnᵀ"),
        new Buffer("drh", 1, Buffer.Scope.SCRATCH, "∂L/∂(r ⊙ h_{t-1})"));
  }

  @Override
  public List<View> views() {
    return List.of(
        new View("rz", "a", 0, 2), new View("r", "a", 0, 1), new View("z", "a", 1, 2), new View("n", "a", 2, 3),
        new View("daRz", "da", 0, 2), new View("daR", "da", 0, 1), new View("daZ", "da", 1, 2),
        new View("daN", "da", 2, 3),
        new View("weightHhRz", "weightHh", 0, 2), new View("weightHhN", "weightHh", 2, 3),
        new View("gWeightHhRz", "gWeightHh", 0, 2), new View("gWeightHhN", "gWeightHh", 2, 3));
  }

  @Override
  public List<Equation> forward(boolean bias) {
    return List.of(
        Equation.of("a_{r,z} += h_{t-1} W_h{r,z}ᵀ   (a_t = x_t W_ihᵀ" + (bias ? " + b_ih + b_hh" : "")
            + ", all steps before the loop)", "Ops.productT(hhRz, hPrev, weightHhRz);", "Ops.add(rz, rz, hhRz);"),
        Equation.of("r = σ(a_r), z = σ(a_z)", "Ops.sigmoid(rz);"),
        Equation.of("n = tanh(a_n + (r ⊙ h_{t-1}) W_hnᵀ)",
            "Ops.mul(rh, r, hPrev);", "Ops.productT(hhN, rh, weightHhN);", "Ops.add(n, n, hhN);", "Ops.tanh(n);"),
        Equation.of("h_t = (1 − z) ⊙ n + z ⊙ h_{t-1}", "Ops.lerp(h, n, hPrev, z);"));
  }

  @Override
  public List<Equation> backward(boolean bias) {
    return List.of(
        Equation.of("∂L/∂a_z = ∂L/∂h_t ⊙ (h_{t-1} − n) ⊙ z ⊙ (1 − z)",
            "Ops.sub(tmp, hPrev, n);", "Ops.mul(tmp, tmp, dh);", "Ops.sigmoidGrad(daZ, z, tmp);"),
        Equation.of("∂L/∂a_n = ∂L/∂h_t ⊙ (1 − z) ⊙ (1 − n²)",
            "Ops.mul(tmp, dh, z);", "Ops.sub(tmp, dh, tmp);", "Ops.tanhGrad(daN, n, tmp);"),
        Equation.of("∂L/∂(r ⊙ h_{t-1}) = ∂L/∂a_n W_hn", "Ops.product(drh, daN, weightHhN);"),
        Equation.of("∂L/∂a_r = ∂L/∂(r ⊙ h_{t-1}) ⊙ h_{t-1} ⊙ r ⊙ (1 − r)",
            "Ops.mul(tmp, drh, hPrev);", "Ops.sigmoidGrad(daR, r, tmp);"),
        Equation.of("∂L/∂h_{t-1} = ∂L/∂a_{r,z} W_h{r,z} + ∂L/∂(r ⊙ h_{t-1}) ⊙ r + ∂L/∂h_t ⊙ z",
            "Ops.product(dhPrev, daRz, weightHhRz);", "Ops.addMul(dhPrev, drh, r);",
            "Ops.addMul(dhPrev, dh, z);"));
  }

  @Override
  public List<Equation> weightGradients(boolean bias) {
    List<Equation> out = new ArrayList<>();
    out.add(CellMath.inputWeightGradient());
    out.add(Equation.of("∂L/∂W_h{r,z} = Σ_t ∂L/∂a_{r,z}ᵀ h_{t-1}",
        "Ops.transposedProduct(gWeightHhRz, daRzSeq, hPrevSeq);"));
    out.add(Equation.of("∂L/∂W_hn = Σ_t ∂L/∂a_nᵀ (r ⊙ h_{t-1})", "Ops.transposedProduct(gWeightHhN, daNSeq, rhSeq);"));
    if (bias) {
      out.add(Equation.of("∂L/∂b_ih = ∂L/∂b_hh = Σ_t ∂L/∂a_t",
          "Ops.columnSums(gBiasIh, daSeq);", "Ops.copy(gBiasHh, gBiasIh);"));
    }
    return out;
  }

  @Override
  public List<String> summary() {
    return List.of(
        "[r z] = σ(x_t W_i{r,z}ᵀ + b_i{r,z} + h_{t-1} W_h{r,z}ᵀ + b_h{r,z})",
        "n = tanh(x_t W_inᵀ + b_in + (r ⊙ h_{t-1}) W_hnᵀ + b_hn)",
        "h_t = (1 − z) ⊙ n + z ⊙ h_{t-1}");
  }
}
