package dev.unroll.examples.generation;

import dev.unroll.runtime.Gradients;
import dev.unroll.training.GradientClipping;
import dev.unroll.training.optim.Optimizer;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * A small training loop for the generation models (the training module's {@code Trainer} drives
 * {@code RecurrentModel}s): one fresh mini-batch per iteration, gradients clipped to a global norm,
 * one optimizer step, cosine decay of the learning rate over the budget, and an evaluation every so
 * many iterations. The budget is wall-clock minutes of training (evaluations excluded), iterations, or
 * both; whichever runs out first ends the run.
 */
public final class TrainingLoop {

  /**
   * How long and how to train.
   *
   * @param minutes training time (evaluations excluded), or 0 for no limit
   * @param iterations iterations, or 0 for no limit
   * @param lr the optimizer's learning rate at the start
   * @param lrFinal the learning rate at the end of the budget as a fraction of {@code lr}, in (0, 1]
   * @param clip the largest global L2 norm of the gradients, or 0 for no clipping
   * @param evaluateEvery iterations between evaluations, or 0 for none during training
   * @param progress whether to show a progress bar (on the console)
   */
  public record Settings(double minutes, long iterations, double lr, double lrFinal, double clip,
      long evaluateEvery, boolean progress) {
    public Settings {
      if (minutes <= 0 && iterations <= 0) {
        throw new IllegalArgumentException("a budget of minutes or iterations is needed");
      }
      if (!(lrFinal > 0 && lrFinal <= 1)) {
        throw new IllegalArgumentException("lrFinal must be in (0, 1], but is " + lrFinal);
      }
    }
  }

  /** The loss and gradients of iteration {@code iteration}'s mini-batch. */
  @FunctionalInterface
  public interface Step {
    Gradients compute(long iteration);
  }

  /** Called every {@code evaluateEvery} iterations and at the end. */
  @FunctionalInterface
  public interface Evaluation {
    void evaluate(Progress progress);
  }

  /**
   * Where training stands.
   *
   * @param iteration iterations done
   * @param seconds training seconds so far (evaluations excluded)
   * @param trainLoss the mean training loss since the last evaluation
   * @param lr the learning rate of the last step
   */
  public record Progress(long iteration, double seconds, double trainLoss, double lr) {
    /** "it 1200  93.1 s  loss 0.0123  lr 2.1e-03". */
    @Override
    public String toString() {
      return String.format(Locale.ROOT, "it %5d  %6.1f s  train loss %.4f  lr %.1e", iteration,
          seconds, trainLoss, lr);
    }
  }

  private TrainingLoop() {}

  /**
   * Trains until the budget is spent.
   *
   * @param params the model's parameters, updated in place
   * @return the progress at the end
   * @throws IllegalStateException if a loss is not finite
   */
  public static Progress run(Map<String, INDArray> params, Optimizer optimizer, Step step,
      Settings s, Evaluation evaluation) {
    long budgetNanos = (long) (s.minutes() * 60e9);
    long trained = 0;
    long iteration = 0;
    double lossSum = 0;
    long lossCount = 0;
    double lastLoss = Double.NaN;
    double lr = s.lr();
    try (ProgressBar bar = s.progress() ? bar(s) : null) {
      while (true) {
        boolean timeUp = budgetNanos > 0 && trained >= budgetNanos;
        boolean itersUp = s.iterations() > 0 && iteration >= s.iterations();
        if (timeUp || itersUp) {
          break;
        }
        long t0 = System.nanoTime();
        double progress = 0;
        if (budgetNanos > 0) {
          progress = trained / (double) budgetNanos;
        }
        if (s.iterations() > 0) {
          progress = Math.max(progress, iteration / (double) s.iterations());
        }
        lr = cosine(s.lr(), s.lrFinal(), Math.min(1, progress));
        optimizer.setLearningRate(lr);
        Gradients g = step.compute(iteration);
        if (!Double.isFinite(g.loss())) {
          throw new IllegalStateException("the loss is " + g.loss() + " at iteration " + iteration);
        }
        if (s.clip() > 0) {
          GradientClipping.clipGlobalNorm(g.asMap(), s.clip());
        }
        optimizer.step(params, g.asMap());
        iteration++;
        trained += System.nanoTime() - t0;
        lossSum += g.loss();
        lossCount++;
        lastLoss = g.loss();
        if (bar != null) {
          if (s.iterations() <= 0) {
            bar.stepTo(Math.min(trained / 1_000_000_000L, bar.getMax()));
          } else {
            bar.stepTo(iteration);
          }
          bar.setExtraMessage(String.format(Locale.ROOT, "it %d loss %.4f", iteration, lastLoss));
        }
        if (s.evaluateEvery() > 0 && iteration % s.evaluateEvery() == 0) {
          evaluation.evaluate(new Progress(iteration, trained / 1e9, lossSum / lossCount, lr));
          lossSum = 0;
          lossCount = 0;
        }
      }
    }
    Progress end = new Progress(iteration, trained / 1e9,
        lossCount > 0 ? lossSum / lossCount : lastLoss, lr);
    if (s.evaluateEvery() <= 0 || iteration % s.evaluateEvery() != 0) {
      evaluation.evaluate(end);
    }
    return end;
  }

  /** {@code base} decayed along half a cosine to {@code base * finalFraction} at {@code progress} 1. */
  public static double cosine(double base, double finalFraction, double progress) {
    return base * (finalFraction + (1 - finalFraction) * 0.5 * (1 + Math.cos(Math.PI * progress)));
  }

  private static ProgressBar bar(Settings s) {
    boolean byTime = s.iterations() <= 0;
    return new ProgressBarBuilder()
        .setTaskName("train")
        .setInitialMax(byTime ? Math.round(s.minutes() * 60) : s.iterations())
        .setStyle(ProgressBarStyle.ASCII)
        .setUnit(byTime ? " s" : " it", 1)
        .setUpdateIntervalMillis(250)
        .startsFrom(0, Duration.ZERO)
        .build();
  }
}
