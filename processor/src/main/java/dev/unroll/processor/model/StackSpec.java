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
      out.add(ParameterSpec.uniform(m + "weight_ih_" + s, "weightIh" + f, List.of(l.gateWidth(), l.inputSize()), bound));
      out.add(ParameterSpec.uniform(m + "weight_hh_" + s, "weightHh" + f, List.of(l.gateWidth(), hidden), bound));
      if (bias) {
        out.add(ParameterSpec.uniform(m + "bias_ih_" + s, "biasIh" + f, List.of(l.gateWidth()), bound));
        out.add(ParameterSpec.uniform(m + "bias_hh_" + s, "biasHh" + f, List.of(l.gateWidth()), bound));
      }
    }
    return List.copyOf(out);
  }
}
