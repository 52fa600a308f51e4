package dev.unroll.training;

/** The argument checks of {@link Trainer.Builder}: each names the setting and the value it refused. */
final class Require {
  private Require() {}

  /** {@code value}, if it is at least {@code min}. */
  static long atLeast(String what, long value, long min) {
    if (value < min) {
      throw new IllegalArgumentException(what + " must be at least " + min + ", but is " + value);
    }
    return value;
  }

  /** {@code value}, if it is at least 0 (not NaN). */
  static double notNegative(String what, double value) {
    if (!(value >= 0)) {
      throw new IllegalArgumentException(what + " must be at least 0, but is " + value);
    }
    return value;
  }

  /** {@code value}, if it is finite and above 0. */
  static double positiveFinite(String what, double value) {
    if (!(value > 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException(what + " must be finite and above 0, but is " + value);
    }
    return value;
  }
}
