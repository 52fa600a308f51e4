package dev.unroll.processor.codegen;

import dev.unroll.processor.model.LayerSpec;
import dev.unroll.processor.model.ParameterSpec;
import dev.unroll.processor.model.StackRole;

/**
 * Names of one layer and direction: the instance of its stack's holder class ({@code layer1},
 * {@code layer1Reverse}, {@code encoderLayer0}) and its fields as the rest of the class reads them
 * ({@code layer1.aSeq}); the methods its stack's layers share ({@code step}, {@code encoderStep}).
 */
final class LayerNames {
  final LayerSpec layer;

  LayerNames(LayerSpec layer) {
    this.layer = layer;
  }

  /** The holder instance: {@code layer0}, {@code layer1Reverse}, {@code encoderLayer0}. */
  String instance() {
    String stack = layer.role() == StackRole.RNN ? "layer" : layer.role().module() + "Layer";
    return stack + layer.index() + (layer.reverse() ? "Reverse" : "");
  }

  /** A field of this layer's holder, as the class reads it: {@code layer0.aSeq}. */
  String field(String name) {
    return instance() + "." + name;
  }

  /** The holder class of a stack's layers: {@code Layer}, {@code EncoderLayer}. */
  static String holderClass(StackRole role) {
    return role == StackRole.RNN ? "Layer" : capitalize(role.module()) + "Layer";
  }

  /**
   * A method the layers of this layer's stack and direction share: {@code layerForward},
   * {@code step}, {@code backStep}, {@code reverseStep}, {@code encoderBackward}.
   */
  String method(String what) {
    String prefix = (layer.role() == StackRole.RNN ? "" : layer.role().module())
        + (layer.reverse() ? "Reverse" : "");
    if (prefix.isEmpty()) {
      return what.equals("Forward") || what.equals("Backward") ? "layer" + what : uncapitalize(what);
    }
    return uncapitalize(prefix) + what;
  }

  /** "Layer {@code l}", "Encoder layer {@code l}, reverse direction": how the shared methods' Javadoc names it. */
  String title(boolean bidirectional) {
    String stack = layer.role() == StackRole.RNN ? "Layer" : capitalize(layer.role().module()) + " layer";
    return stack + " {@code l}" + (bidirectional ? ", " + layer.direction().word() + " direction" : "");
  }

  /** The holder field of a recurrent parameter: {@code weightHhReverse1} → {@code weightHh}. */
  static String local(ParameterSpec p) {
    String suffix = p.layer().suffix();
    return p.fieldName().substring(0, p.fieldName().length() - suffix.length());
  }

  /**
   * The gradient of a parameter as the class reads it: {@code layer1.gradWeightHh} for a recurrent
   * one, {@code gradFcWeight} for the others.
   */
  static String gradient(ParameterSpec p) {
    return p.layer() == null ? RecurrenceGenerator.grad(p.fieldName())
        : new LayerNames(p.layer()).field(RecurrenceGenerator.grad(local(p)));
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

  private static String capitalize(String s) {
    return Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  private static String uncapitalize(String s) {
    return Character.toLowerCase(s.charAt(0)) + s.substring(1);
  }
}
