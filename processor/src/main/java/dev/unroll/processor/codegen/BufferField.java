package dev.unroll.processor.codegen;

import com.squareup.javapoet.CodeBlock;

/**
 * A work-buffer field: an array sized per batch shape, or an array of per-step views of one; or, with
 * no name, a statement of the allocating method (a call that sizes one layer's buffers).
 *
 * @param name      the field as the allocating code reads it ({@code aSeq}, {@code layer0.input},
 *                  {@code l.aSeq}), or null for a statement
 * @param perStep   whether the field is {@code INDArray[]} (one view per step) rather than {@code INDArray}
 * @param doc       one line of Javadoc
 * @param allocate  the expression that creates it in {@code allocate(batch, steps)}, or the statement
 * @param forGradients whether a statement belongs to {@code allocateGradients()} (ignored for fields)
 */
record BufferField(String name, boolean perStep, String doc, CodeBlock allocate, boolean forGradients) {

  /**
   * Whether the buffer holds a gradient, ∂L/∂x, which by convention is named {@code dX}
   * ({@code daSeq}, {@code dFcInput}); only training needs it, so it is sized on the first
   * {@code gradients} call for a shape, never for inference.
   */
  boolean gradient() {
    if (name == null) {
      return forGradients;
    }
    String local = local();
    return local.length() > 1 && local.charAt(0) == 'd' && !local.startsWith("dropout");
  }

  /** The field's own name: {@code aSeq} for {@code layer0.aSeq}. */
  String local() {
    return name.substring(name.lastIndexOf('.') + 1);
  }

  /** Whether this is a field of the generated class itself, not of a layer (nor a statement). */
  boolean declared() {
    return name != null && name.indexOf('.') < 0;
  }

  /** The allocating statement. */
  CodeBlock statement() {
    return name == null ? allocate : CodeBlock.of("$L = $L", name, allocate);
  }

  static BufferField matrix(String name, String doc, CodeBlock allocate) {
    return new BufferField(name, false, doc, allocate, false);
  }

  static BufferField steps(String name, String doc, CodeBlock allocate) {
    return new BufferField(name, true, doc, allocate, false);
  }

  /** A statement of {@code allocate} or, with {@code forGradients}, of {@code allocateGradients}. */
  static BufferField call(CodeBlock statement, boolean forGradients) {
    return new BufferField(null, false, null, statement, forGradients);
  }
}
