package dev.unroll.training;

/**
 * Training met a NaN or infinite loss or gradient (or parameter) and stopped before applying it: the
 * parameters are those after the previous iteration, and no checkpoint was written from the bad state.
 */
public final class NonFiniteException extends ArithmeticException {

  private static final long serialVersionUID = 1L;

  private final long iteration;

  /**
   * @param iteration the iteration (counting from 1) whose loss or gradients were not finite
   * @param message what was not finite, and where
   */
  public NonFiniteException(long iteration, String message) {
    super(message);
    this.iteration = iteration;
  }

  /** The iteration (counting from 1) whose loss or gradients were not finite. */
  public long iteration() {
    return iteration;
  }
}
