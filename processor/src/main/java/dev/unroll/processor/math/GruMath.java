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
    return List.of(new View("z", "a", 1, 2));
  }

  @Override
  public List<Phase> forward(boolean bias) {
    List<Equation> gates = new ArrayList<>();
    if (bias) {
      gates.add(Equation.of("hh += b_hh",
          "hh[k] += biasHh[k];", "hh[HIDDEN + k] += biasHh[HIDDEN + k];", "hh[2 * HIDDEN + k] += biasHh[2 * HIDDEN + k];"));
    }
    gates.add(Equation.of("a_{r,z} += hh_{r,z}   (a_t = x_t W_ihᵀ" + (bias ? " + b_ih" : "") + ", all steps before the loop)",
        "a[k] += hh[k];", "a[HIDDEN + k] += hh[HIDDEN + k];"));
    gates.add(Equation.row("r = σ(a_r), z = σ(a_z), in place in a for the backward pass",
        "act.sigmoid(a, 0, 2 * HIDDEN);"));
    gates.add(Equation.of("a_n += r ⊙ hh_n", "double r = a[k];", "a[2 * HIDDEN + k] += r * hh[2 * HIDDEN + k];"));
    gates.add(Equation.row("n = tanh(a_n), in place in a", "act.tanh(a, 2 * HIDDEN, HIDDEN);"));
    gates.add(Equation.of("h_t = (1 − z) ⊙ n + z ⊙ h_{t-1}", "double z = a[HIDDEN + k];", "double n = a[2 * HIDDEN + k];",
        "h[k] = (1 - z) * n + z * hPrev[k];"));
    return List.of(
        Phase.matrix(Equation.of("hh = h_{t-1} W_hhᵀ", "Ops.timesTransposed(hh, hPrev, weightHh);")),
        new Phase.Elements(List.of("a", "hh", "hPrev"), bias ? List.of("a", "hh", "h") : List.of("a", "h"),
            bias ? List.of("biasHh") : List.of(), gates));
  }

  @Override
  public List<Phase> backward(boolean bias) {
    return List.of(
        Phase.elements(List.of("dh", "a", "hh", "hPrev"), List.of("da", "dhh"),
            Equation.of("the gates of step t", "double r = a[k];", "double z = a[HIDDEN + k];",
                "double n = a[2 * HIDDEN + k];"),
            Equation.of("∂L/∂a_z = ∂L/∂h_t ⊙ (h_{t-1} − n) ⊙ z ⊙ (1 − z)",
                "double daZ = da[HIDDEN + k] = dh[k] * (hPrev[k] - n) * z * (1 - z);"),
            Equation.of("∂L/∂a_n = ∂L/∂h_t ⊙ (1 − z) ⊙ (1 − n²)",
                "double daN = da[2 * HIDDEN + k] = dh[k] * (1 - z) * (1 - n * n);"),
            Equation.of("∂L/∂a_r = ∂L/∂a_n ⊙ hh_n ⊙ r ⊙ (1 − r)",
                "double daR = da[k] = daN * hh[2 * HIDDEN + k] * r * (1 - r);"),
            Equation.of("∂L/∂hh = [∂L/∂a_r, ∂L/∂a_z, ∂L/∂a_n ⊙ r]",
                "dhh[k] = daR;", "dhh[HIDDEN + k] = daZ;", "dhh[2 * HIDDEN + k] = daN * r;")),
        Phase.matrix(Equation.of("∂L/∂h_{t-1} = ∂L/∂hh W_hh + ∂L/∂h_t ⊙ z",
            "Ops.product(dhPrev, dhh, weightHh);", "Ops.addMul(dhPrev, dh, z);")));
  }

  @Override
  public List<Equation> weightGradients(boolean bias) {
    List<Equation> out = new ArrayList<>();
    out.add(CellMath.inputWeightGradient());
    out.add(Equation.of("∂L/∂W_hh = Σ_t ∂L/∂hh_tᵀ h_{t-1}", "Ops.transposedTimes(gWeightHh, dhhSeq, hPrevSeq);"));
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
