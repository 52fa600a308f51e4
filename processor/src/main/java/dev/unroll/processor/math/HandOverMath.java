package dev.unroll.processor.math;

import java.util.ArrayList;
import java.util.List;

/**
 * The math between the parts of a sequence model, beside the cells': how the decoder's initial
 * state is made, and its backward pass. A one-to-many model starts every decoder layer from the
 * condition vector v, {@code h0 = tanh(v W_initᵀ + b_init)} (c0 = 0); a seq2seq model with a
 * bidirectional encoder joins each layer's final states of both directions and passes them
 * through {@code bridge}, with tanh ({@code bridge_c} for an LSTM's c, without).
 *
 * <p>Each is one linear layer for all decoder layers at once, {@code out = in Wᵀ + b}. Statements
 * use the names {@code in}, {@code out}, {@code weight}, {@code bias}, {@code dIn}, {@code dOut},
 * {@code gWeight} and {@code gBias}; the generator binds them to the class's arrays, as it binds
 * a cell's names.
 */
public final class HandOverMath {
  private HandOverMath() {}

  /** {@code h0 = tanh(v W_initᵀ + b_init)}, every decoder layer's in one product. */
  public static Equation initForward() {
    return Equation.of("h0 of all layers at once: tanh(v W_initᵀ + b_init), layer l in columns l·H to (l + 1)·H",
        "Ops.timesTransposed(out, in, weight);", "Ops.addRow(out, bias);", "Ops.tanh(out);");
  }

  /** ∂L/∂W_init and ∂L/∂b_init from ∂L/∂h0 ({@code dOut}, overwritten on the way through tanh). */
  public static List<Equation> initBackward() {
    return List.of(
        Equation.of("through tanh: ∂L/∂(init(v)) = ∂L/∂h0 ⊙ (1 − h0²)", "Ops.tanhBackward(dOut, out);"),
        Equation.of("∂L/∂W_init = ∂L/∂(init(v))ᵀ v,   ∂L/∂b_init = Σ ∂L/∂(init(v))",
            "Ops.transposedTimes(gWeight, dOut, in);", "Ops.columnSums(gBias, dOut);"));
  }

  /**
   * The bridge of h ({@code h0 = tanh([h_fwd, h_bwd] W_bridgeᵀ + b_bridge)}) or of c
   * ({@code c0 = [c_fwd, c_bwd] W_bridge_cᵀ + b_bridge_c}), every decoder layer's in one product.
   */
  public static Equation bridgeForward(boolean h) {
    List<String> statements = new ArrayList<>(List.of("Ops.timesTransposed(out, in, weight);", "Ops.addRow(out, bias);"));
    if (h) {
      statements.add("Ops.tanh(out);");
    }
    return new Equation(h ? "h0 = tanh([h_fwd, h_bwd] W_bridgeᵀ + b_bridge), all layers in one product"
        : "c0 = [c_fwd, c_bwd] W_bridge_cᵀ + b_bridge_c (no tanh), all layers in one product", statements, false);
  }

  /** The bridge's gradients and ∂L/∂in from ∂L/∂out ({@code dOut}, overwritten through tanh for h). */
  public static List<Equation> bridgeBackward(boolean h) {
    List<Equation> out = new ArrayList<>();
    if (h) {
      out.add(Equation.of("through tanh: ∂L/∂(bridge pre-activation) = ∂L/∂h0 ⊙ (1 − h0²)",
          "Ops.tanhBackward(dOut, out);"));
    }
    String w = h ? "bridge" : "bridge_c";
    out.add(Equation.of("∂L/∂W_" + w + " = Σ ∂L/∂outᵀ in,   ∂L/∂b_" + w + " = Σ ∂L/∂out,   ∂L/∂in = ∂L/∂out W_" + w,
        "Ops.transposedTimes(gWeight, dOut, in);", "Ops.columnSums(gBias, dOut);",
        "Ops.product(dIn, dOut, weight);"));
    return out;
  }
}
