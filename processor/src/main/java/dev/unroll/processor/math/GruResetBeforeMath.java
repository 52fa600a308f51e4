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
        new View("r", "a", 0, 1), new View("z", "a", 1, 2),
        new View("daRz", "da", 0, 2), new View("daN", "da", 2, 3),
        new View("weightHhRz", "weightHh", 0, 2), new View("weightHhN", "weightHh", 2, 3),
        new View("gWeightHhRz", "gWeightHh", 0, 2), new View("gWeightHhN", "gWeightHh", 2, 3));
  }

  @Override
  public List<Phase> forward(boolean bias) {
    return List.of(
        Phase.matrix(Equation.of("hhRz = h_{t-1} W_h{r,z}ᵀ", "Ops.timesTransposed(hhRz, hPrev, weightHhRz);")),
        Phase.elements(List.of("a", "hhRz", "hPrev"), List.of("a", "rh"),
            Equation.of("a_{r,z} += hhRz   (a_t = x_t W_ihᵀ" + (bias ? " + b_ih + b_hh" : "")
                    + ", all steps before the loop)",
                "a[k] += hhRz[k];", "a[HIDDEN + k] += hhRz[HIDDEN + k];"),
            Equation.row("r = σ(a_r), z = σ(a_z), in place in a for the backward pass",
                "act.sigmoid(a, 0, 2 * HIDDEN);"),
            Equation.of("rh = r ⊙ h_{t-1}", "double r = a[k];", "rh[k] = r * hPrev[k];")),
        Phase.matrix(Equation.of("hhN = (r ⊙ h_{t-1}) W_hnᵀ", "Ops.timesTransposed(hhN, rh, weightHhN);")),
        Phase.elements(List.of("a", "hhN", "hPrev"), List.of("a", "h"),
            Equation.of("a_n += hhN", "a[2 * HIDDEN + k] += hhN[k];"),
            Equation.row("n = tanh(a_n), in place in a", "act.tanh(a, 2 * HIDDEN, HIDDEN);"),
            Equation.of("h_t = (1 − z) ⊙ n + z ⊙ h_{t-1}", "double z = a[HIDDEN + k];", "double n = a[2 * HIDDEN + k];",
                "h[k] = (1 - z) * n + z * hPrev[k];")));
  }

  @Override
  public List<Phase> backward(boolean bias) {
    return List.of(
        Phase.elements(List.of("dh", "a", "hPrev"), List.of("da"),
            Equation.of("the gates of step t", "double z = a[HIDDEN + k];", "double n = a[2 * HIDDEN + k];"),
            Equation.of("∂L/∂a_z = ∂L/∂h_t ⊙ (h_{t-1} − n) ⊙ z ⊙ (1 − z)",
                "da[HIDDEN + k] = dh[k] * (hPrev[k] - n) * z * (1 - z);"),
            Equation.of("∂L/∂a_n = ∂L/∂h_t ⊙ (1 − z) ⊙ (1 − n²)", "da[2 * HIDDEN + k] = dh[k] * (1 - z) * (1 - n * n);")),
        Phase.matrix(Equation.of("∂L/∂(r ⊙ h_{t-1}) = ∂L/∂a_n W_hn", "Ops.product(drh, daN, weightHhN);")),
        Phase.elements(List.of("drh", "hPrev", "a", "da"), List.of("da"),
            Equation.of("∂L/∂a_r = ∂L/∂(r ⊙ h_{t-1}) ⊙ h_{t-1} ⊙ r ⊙ (1 − r)",
                "double r = a[k];", "da[k] = drh[k] * hPrev[k] * r * (1 - r);")),
        Phase.matrix(Equation.of("∂L/∂h_{t-1} = ∂L/∂a_{r,z} W_h{r,z} + ∂L/∂(r ⊙ h_{t-1}) ⊙ r + ∂L/∂h_t ⊙ z",
            "Ops.product(dhPrev, daRz, weightHhRz);", "Ops.addMul(dhPrev, drh, r);", "Ops.addMul(dhPrev, dh, z);")));
  }

  @Override
  public List<Equation> weightGradients(boolean bias) {
    List<Equation> out = new ArrayList<>();
    out.add(CellMath.inputWeightGradient());
    out.add(Equation.of("∂L/∂W_h{r,z} = Σ_t ∂L/∂a_{r,z}ᵀ h_{t-1}",
        "Ops.transposedTimes(gWeightHhRz, daRzSeq, hPrevSeq);"));
    out.add(Equation.of("∂L/∂W_hn = Σ_t ∂L/∂a_nᵀ (r ⊙ h_{t-1})", "Ops.transposedTimes(gWeightHhN, daNSeq, rhSeq);"));
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
