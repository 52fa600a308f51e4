package dev.unroll.processor.codegen;

/** Java literals for numbers, exact and locale-free (JavaPoet's {@code $L} would print a float as a double). */
final class Literals {
  private Literals() {}

  /** A {@code double} literal that reads back to exactly {@code value}: 0.2, 0.0, 1.0E-5. */
  static String doubleLiteral(double value) {
    return Double.toString(value);
  }
}
