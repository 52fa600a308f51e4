package dev.unroll.processor.codegen;

import com.squareup.javapoet.CodeBlock;
import dev.unroll.processor.model.InputSpec;
import dev.unroll.processor.model.ModelSpec;
import dev.unroll.processor.model.ParameterSpec;

/**
 * Sizes written in terms of the generated class's constants, so that generated bodies hold no bare
 * numbers: {@code GATES * HIDDEN}, {@code 2 * HIDDEN}, {@code DIRECTIONS * HIDDEN}.
 */
final class Expressions {
  /** Width of the gate pre-activations. */
  static final String GATE_WIDTH = "GATES * HIDDEN";

  private final ModelSpec spec;

  Expressions(ModelSpec spec) {
    this.spec = spec;
  }

  /** {@code k} hidden-size blocks: {@code 0}, {@code HIDDEN}, {@code k * HIDDEN}. */
  static String blocks(int k) {
    return switch (k) {
      case 0 -> "0";
      case 1 -> "HIDDEN";
      default -> k + " * HIDDEN";
    };
  }

  /** Width of the gate pre-activations. */
  String gateWidth() {
    return "GATES * HIDDEN";
  }

  /** Width of the vector layer 0 reads. */
  String inputWidth() {
    return spec.input() instanceof InputSpec.Embedding ? "EMBEDDING_DIM" : "FEATURES";
  }

  /** Width of the top layer's output (and of every upper layer's input). */
  String topWidth() {
    return spec.bidirectional() ? "DIRECTIONS * HIDDEN" : "HIDDEN";
  }

  /** The input width of a layer. */
  String layerInputWidth(int layer) {
    return layer == 0 ? inputWidth() : topWidth();
  }

  /** A parameter's shape as constant expressions, comma separated. */
  CodeBlock shape(ParameterSpec p) {
    String n = p.pytorchName();
    if (n.equals("embedding.weight")) {
      return CodeBlock.of("VOCAB, EMBEDDING_DIM");
    }
    if (n.equals("fc.weight")) {
      return CodeBlock.of("OUTPUT, $L", topWidth());
    }
    if (n.equals("fc.bias")) {
      return CodeBlock.of("OUTPUT");
    }
    if (n.startsWith("rnn.weight_ih_l")) {
      int layer = Integer.parseInt(n.substring("rnn.weight_ih_l".length()).replace("_reverse", ""));
      return CodeBlock.of("$L, $L", gateWidth(), layerInputWidth(layer));
    }
    if (n.startsWith("rnn.weight_hh_l")) {
      return CodeBlock.of("$L, HIDDEN", gateWidth());
    }
    if (n.startsWith("rnn.bias_")) {
      return CodeBlock.of("$L", gateWidth());
    }
    throw new AssertionError("no shape for " + n);
  }

  /** The initialisation bound as an expression, 1/√fan_in. */
  String initBound(ParameterSpec p) {
    return p.pytorchName().startsWith("fc.") ? "1 / Math.sqrt(" + topWidth() + ")" : "1 / Math.sqrt(HIDDEN)";
  }
}
