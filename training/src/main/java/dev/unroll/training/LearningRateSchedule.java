package dev.unroll.training;

/**
 * The learning rate of each iteration as a function of the base rate, the number of iterations done
 * and the epoch, as PyTorch's {@code StepLR} and {@code ExponentialLR} (stepped once per epoch, or once
 * per iteration). The {@link Trainer} sets it on the optimizer before every step.
 */
@FunctionalInterface
public interface LearningRateSchedule {

  /**
   * The learning rate of the next step.
   *
   * @param base the optimizer's learning rate when training started
   * @param iteration the number of steps done before this one (from 0)
   * @param epoch the epoch of this step's batch (from 0)
   */
  double rate(double base, long iteration, long epoch);

  /** The base rate throughout. */
  static LearningRateSchedule constant() {
    return (base, iteration, epoch) -> base;
  }

  /** {@code base * gamma^(epoch / stepSize)} (integer division): PyTorch's {@code StepLR} per epoch. */
  static LearningRateSchedule stepPerEpoch(long stepSize, double gamma) {
    check(stepSize, gamma);
    return (base, iteration, epoch) -> base * Math.pow(gamma, (double) (epoch / stepSize));
  }

  /** {@code base * gamma^epoch}: PyTorch's {@code ExponentialLR} stepped per epoch. */
  static LearningRateSchedule exponentialPerEpoch(double gamma) {
    check(1, gamma);
    return (base, iteration, epoch) -> base * Math.pow(gamma, (double) epoch);
  }

  /** {@code base * gamma^(iteration / stepSize)} (integer division). */
  static LearningRateSchedule stepPerIteration(long stepSize, double gamma) {
    check(stepSize, gamma);
    return (base, iteration, epoch) -> base * Math.pow(gamma, (double) (iteration / stepSize));
  }

  /** {@code base * gamma^iteration}. */
  static LearningRateSchedule exponentialPerIteration(double gamma) {
    check(1, gamma);
    return (base, iteration, epoch) -> base * Math.pow(gamma, (double) iteration);
  }

  private static void check(long stepSize, double gamma) {
    if (stepSize < 1) {
      throw new IllegalArgumentException("stepSize must be at least 1, but is " + stepSize);
    }
    if (!(gamma > 0 && gamma <= 1)) {
      throw new IllegalArgumentException("gamma must be in (0, 1], but is " + gamma);
    }
  }
}
