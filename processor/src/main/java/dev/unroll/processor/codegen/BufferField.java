package dev.unroll.processor.codegen;

import com.squareup.javapoet.CodeBlock;

/**
 * A work-buffer field: an array sized per batch shape, or an array of per-step views of one.
 *
 * @param name      the field
 * @param perStep   whether the field is {@code INDArray[]} (one view per step) rather than {@code INDArray}
 * @param doc       one line of Javadoc
 * @param allocate  the expression that creates it in {@code allocate(batch, steps)}
 */
record BufferField(String name, boolean perStep, String doc, CodeBlock allocate) {

  /**
   * Whether the buffer holds a gradient, ∂L/∂x, which by convention is named {@code dX}
   * ({@code daSeq0}, {@code dFcInput}); only training needs it, so it is sized on the first
   * {@code gradients} call for a shape, never for inference.
   */
  boolean gradient() {
    return name.length() > 1 && name.charAt(0) == 'd' && !name.startsWith("dropout");
  }

  static BufferField matrix(String name, String doc, CodeBlock allocate) {
    return new BufferField(name, false, doc, allocate);
  }

  static BufferField steps(String name, String doc, CodeBlock allocate) {
    return new BufferField(name, true, doc, allocate);
  }
}
