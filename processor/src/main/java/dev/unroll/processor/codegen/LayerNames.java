package dev.unroll.processor.codegen;

import dev.unroll.processor.model.LayerSpec;
import dev.unroll.processor.model.StackRole;

/**
 * Names of one layer and direction's fields and methods: field {@code aSeq} of layer 1's reverse
 * direction is {@code aSeqReverse1}; its methods start with {@code layer1Reverse}.
 */
final class LayerNames {
  final LayerSpec layer;

  LayerNames(LayerSpec layer) {
    this.layer = layer;
  }

  /** A per-layer field: {@code name + "0"}, {@code name + "Reverse1"}. */
  String field(String name) {
    return name + layer.suffix();
  }

  /** A method: {@code layer0Step}, {@code layer1ReverseBackward}, {@code encoderLayer0Step}. */
  String method(String what) {
    String stack = layer.role() == StackRole.RNN ? "layer" : layer.role().module() + "Layer";
    return stack + layer.index() + (layer.reverse() ? "Reverse" : "") + what;
  }

  /** "Layer 0, forward direction"; "Encoder layer 0, reverse direction". */
  String title() {
    String stack = layer.role() == StackRole.RNN ? "Layer" : Character.toUpperCase(layer.role().module().charAt(0))
        + layer.role().module().substring(1) + " layer";
    return stack + " " + layer.index() + ", " + layer.direction().word() + " direction";
  }

  /** The state block that step {@code t} reads: block t (forward) or t + 1 (reverse). */
  String prevBlock(String t) {
    return layer.reverse() ? t + " + 1" : t;
  }

  /** The state block that step {@code t} writes: block t + 1 (forward) or t (reverse). */
  String newBlock(String t) {
    return layer.reverse() ? t : t + " + 1";
  }

  /** The state block holding the initial state: 0 (forward) or {@code steps} (reverse). */
  String initialBlock() {
    return layer.reverse() ? steps() : "0";
  }

  /** The variable holding the number of steps of this layer's stack: {@code steps}, {@code stepsEncoder}. */
  private String steps() {
    return "steps" + layer.role().fieldInfix();
  }

  /** The state block holding the final state: {@code steps} (forward) or 0 (reverse). */
  String finalBlock() {
    return layer.reverse() ? "0" : steps();
  }
}
