package dev.unroll.processor.math;

import dev.unroll.processor.model.CellKind;
import java.util.List;

/**
 * The math of one recurrent cell, and the only place that states it. The forward and backward
 * generators walk these lists; neither knows a gate order or an activation.
 *
 * <p>Matrix statements call {@code dev.unroll.runtime.Ops} on these names, and element loops read and
 * write rows of the arrays of these names; the generator binds them for the layer, direction and step
 * at hand:
 * <ul>
 *   <li>every step: {@code a} {@code [B, G·H]}, this step's gate pre-activations, holding on entry the
 *       input projection {@code x_t W_ihᵀ} plus {@code b_ih} (and {@code b_hh} when
 *       {@link #biasHhInProjection()}); {@code hPrev} and {@code h} (and {@code cPrev}, {@code c} when
 *       {@link #hasCellState()}); {@code weightHh}, and {@code biasHh} where the bias is not in the
 *       projection; {@code tmp}, a {@code [B, H]} scratch; the cell's {@link #buffers()} and
 *       {@link #views()} (a step buffer names this step's row block);
 *   <li>backward, also: {@code dh} (∂L/∂h_t reaching this step's cell), {@code dhPrev} (to write
 *       ∂L/∂h_{t-1}), {@code dc} and {@code dcPrev} (one array: ∂L/∂c_t in, ∂L/∂c_{t-1} out), and
 *       {@code da} {@code [B, G·H]} (to write ∂L/∂a);
 *   <li>{@link #weightGradients}: {@code daSeq} {@code [T·B, G·H]}, {@code input} {@code [T·B, in]},
 *       {@code hPrevSeq} {@code [T·B, H]} (h_{t-1} of every step), {@code <buffer>Seq} and
 *       {@code <view>Seq} for step buffers, and the gradients to write: {@code gWeightIh},
 *       {@code gWeightHh}, {@code gBiasIh}, {@code gBiasHh} and views of them.
 * </ul>
 */
public interface CellMath {

  /** The cell this math describes. */
  CellKind kind();

  /** Gate blocks in PyTorch's order. */
  List<Gate> gates();

  /** Whether the cell has a memory cell {@code c} besides {@code h}. */
  default boolean hasCellState() {
    return false;
  }

  /** Whether {@code b_hh} can be added once for all steps with {@code b_ih} (it sits outside any gate product). */
  boolean biasHhInProjection();

  /** Work buffers beyond {@code a}, {@code da}, the states and {@code tmp}. */
  List<Buffer> buffers();

  /** Named column slices of buffers ({@code a}, {@code da}, the cell's) and row slices of weights. */
  List<View> views();

  /** One forward step, after the input projection. */
  List<Phase> forward(boolean bias);

  /** One backward step. */
  List<Phase> backward(boolean bias);

  /** The weight and bias gradients, once per layer and direction, as products over all steps. */
  List<Equation> weightGradients(boolean bias);

  /** The per-step equations for the class Javadoc, one line each. */
  List<String> summary();

  /** {@link #summary()} for layers with or without biases: without, the {@code + b_…} terms go. */
  default List<String> summary(boolean bias) {
    return bias ? summary() : summary().stream().map(s -> s.replaceAll(" \\+ b_[a-z{},]+", "")).toList();
  }

  /** The math for a cell kind. */
  static CellMath of(CellKind kind) {
    return switch (kind) {
      case RNN_TANH -> new RnnMath(Activation.TANH);
      case RNN_RELU -> new RnnMath(Activation.RELU);
      case LSTM -> new LstmMath();
      case GRU -> new GruMath();
      case GRU_RESET_BEFORE -> new GruResetBeforeMath();
    };
  }

  /** ∂L/∂W_ih, shared by every cell: the input projection is the same product for all of them. */
  static Equation inputWeightGradient() {
    return Equation.of("∂L/∂W_ih = Σ_t ∂L/∂a_tᵀ x_t", "Ops.transposedTimes(gWeightIh, daSeq, input);");
  }
}
