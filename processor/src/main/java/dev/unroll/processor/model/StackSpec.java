package dev.unroll.processor.model;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One stack of recurrent layers (PyTorch's {@code nn.RNN/LSTM/GRU} module) and what it reads.
 *
 * @param role          which stack of the model
 * @param cell          the cell
 * @param hidden        state size per layer and direction
 * @param layers        stacked layers
 * @param bidirectional whether every layer also runs in reverse
 * @param bias          whether the layers have biases
 * @param dropout       drop probability between stacked layers, in training
 * @param input         features or embedding read by layer 0
 */
public record StackSpec(StackRole role, CellKind cell, int hidden, int layers, boolean bidirectional, boolean bias,
    double dropout, InputSpec input) {

  public StackSpec {
    Objects.requireNonNull(role);
    Objects.requireNonNull(cell);
    Objects.requireNonNull(input);
    assert hidden > 0 && layers > 0;
    assert dropout >= 0 && dropout < 1;
  }

  /** 2 for a bidirectional stack, else 1. */
  public int directions() {
    return bidirectional ? 2 : 1;
  }

  /** Width of the top layer's output: hidden × directions. */
  public int topWidth() {
    return hidden * directions();
  }

  /**
   * The generated class's constant for the width layer 0 reads: {@code FEATURES}, {@code EMBEDDING_DIM},
   * or an encoder's {@code SOURCE_EMBEDDING_DIM}.
   */
  public String inputDim() {
    if (role == StackRole.ENCODER) {
      return "SOURCE_EMBEDDING_DIM";
    }
    return input instanceof InputSpec.Embedding ? "EMBEDDING_DIM" : "FEATURES";
  }

  /** Whether dropout acts anywhere: a positive rate between at least two layers. */
  public boolean usesDropout() {
    return dropout > 0 && layers > 1;
  }

  /** Every layer and direction, layer by layer, forward before reverse. */
  public List<LayerSpec> layerSpecs() {
    List<LayerSpec> out = new ArrayList<>();
    for (int l = 0; l < layers; l++) {
      int in = l == 0 ? input.width() : topWidth();
      out.add(new LayerSpec(role, l, Direction.FORWARD, in, hidden, cell.gates()));
      if (bidirectional) {
        out.add(new LayerSpec(role, l, Direction.REVERSE, in, hidden, cell.gates()));
      }
    }
    return List.copyOf(out);
  }

  /** The directions of one layer. */
  public List<LayerSpec> layer(int index) {
    return layerSpecs().stream().filter(s -> s.index() == index).toList();
  }

  /**
   * The stack's parameters in PyTorch's {@code state_dict} order: per layer and direction
   * {@code weight_ih, weight_hh, bias_ih, bias_hh}.
   */
  public List<ParameterSpec> parameters() {
    List<ParameterSpec> out = new ArrayList<>();
    double bound = 1.0 / Math.sqrt(hidden);
    String m = role.module() + ".";
    for (LayerSpec l : layerSpecs()) {
      String s = l.pytorchSuffix();
      String f = l.suffix();
      String gates = "GATES * HIDDEN";
      String in = l.index() == 0 ? inputDim() : bidirectional ? "DIRECTIONS * HIDDEN" : "HIDDEN";
      out.add(ParameterSpec.layerInput(m + "weight_ih_" + s, "weightIh" + f, List.of(l.gateWidth(), l.inputSize()),
          List.of(gates, in), l, bound));
      out.add(ParameterSpec.uniform(m + "weight_hh_" + s, "weightHh" + f, List.of(l.gateWidth(), hidden),
          List.of(gates, "HIDDEN"), l, bound));
      if (bias) {
        out.add(ParameterSpec.uniform(m + "bias_ih_" + s, "biasIh" + f, List.of(l.gateWidth()), List.of(gates), l,
            bound));
        out.add(ParameterSpec.uniform(m + "bias_hh_" + s, "biasHh" + f, List.of(l.gateWidth()), List.of(gates), l,
            bound));
      }
    }
    return List.copyOf(out);
  }
}
