package dev.unroll.processor.model;

/**
 * One recurrent layer and direction of a stack.
 *
 * @param role      the stack it belongs to
 * @param index     layer index, 0 at the input
 * @param direction forward or reverse
 * @param inputSize width of the vector this layer reads per step
 * @param hidden    state size
 * @param gates     gate blocks of the cell
 */
public record LayerSpec(StackRole role, int index, Direction direction, int inputSize, int hidden, int gates) {

  /** Width of the gate pre-activations: gates × hidden. */
  public int gateWidth() {
    return gates * hidden;
  }

  /**
   * Suffix that makes a field name unique to this stack, layer and direction: {@code 0},
   * {@code Reverse1}, {@code EncoderReverse0}.
   */
  public String suffix() {
    return role.fieldInfix() + direction.fieldInfix() + index;
  }

  /** PyTorch's suffix: {@code l0}, {@code l1_reverse}. */
  public String pytorchSuffix() {
    return "l" + index + direction.pytorchSuffix();
  }

  /** Whether this direction runs from the last step to the first. */
  public boolean reverse() {
    return direction == Direction.REVERSE;
  }
}
