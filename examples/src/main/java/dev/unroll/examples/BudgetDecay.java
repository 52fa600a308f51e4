package dev.unroll.examples;

import dev.unroll.training.LearningRateSchedule;

/**
 * Cosine decay of the learning rate over a run's budget, from the base rate to {@code finalFraction}
 * of it: the budget is wall-clock minutes, iterations, or both (whichever runs out first sets the
 * pace). The clock starts at the first step of the run (of a resumed run too: it decays again over its
 * own budget). The {@code char-lm}, {@code caption} and {@code translate} demos train with it.
 */
public final class BudgetDecay implements LearningRateSchedule {

  private final double finalFraction;
  private final long budgetNanos;
  private final long iterations;
  private long startNanos = -1;
  private long startIteration;

  /**
   * @param finalFraction the rate at the end as a fraction of the base, in (0, 1]; 1 is constant
   * @param minutes the time budget, or 0
   * @param iterations the iteration budget (in total, as the trainer counts), or 0
   */
  public BudgetDecay(double finalFraction, double minutes, long iterations) {
    if (!(finalFraction > 0 && finalFraction <= 1)) {
      throw new IllegalArgumentException("the final learning-rate fraction must be in (0, 1]");
    }
    this.finalFraction = finalFraction;
    this.budgetNanos = (long) (minutes * 60e9);
    this.iterations = iterations;
  }

  @Override
  public double rate(double base, long iteration, long epoch) {
    if (finalFraction == 1) {
      return base;
    }
    if (startNanos < 0) {
      startNanos = System.nanoTime();
      startIteration = iteration;
    }
    double progress = 0;
    if (budgetNanos > 0) {
      progress = (System.nanoTime() - startNanos) / (double) budgetNanos;
    }
    if (iterations > startIteration) {
      progress = Math.max(progress, (iteration - startIteration) / (double) (iterations - startIteration));
    }
    progress = Math.min(1, progress);
    return base * (finalFraction + (1 - finalFraction) * 0.5 * (1 + Math.cos(Math.PI * progress)));
  }
}
