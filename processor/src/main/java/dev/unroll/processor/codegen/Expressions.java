package dev.unroll.processor.codegen;

import com.squareup.javapoet.CodeBlock;
import dev.unroll.processor.model.InputSpec;
import dev.unroll.processor.model.ReaderSpec;
import dev.unroll.processor.model.ParameterSpec;

/**
 * Sizes written in terms of the generated class's constants, so that generated bodies hold no bare
 * numbers: {@code GATES * HIDDEN}, {@code 2 * HIDDEN}, {@code DIRECTIONS * HIDDEN}.
 */
final class Expressions {
  /** Width of the gate pre-activations. */
  static final String GATE_WIDTH = "GATES * HIDDEN";

  private final ReaderSpec spec;

  Expressions(ReaderSpec spec) {
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

  /** A parameter's shape as constant expressions, comma separated: its {@link ParameterSpec#dims()}. */
  static CodeBlock shape(ParameterSpec p) {
    return CodeBlock.of("$L", String.join(", ", p.dims()));
  }

  /** The initialisation bound as an expression, 1/√fan_in. */
  String initBound(ParameterSpec p) {
    return p.pytorchName().startsWith("fc.") ? "1 / Math.sqrt(" + topWidth() + ")" : "1 / Math.sqrt(HIDDEN)";
  }
}
