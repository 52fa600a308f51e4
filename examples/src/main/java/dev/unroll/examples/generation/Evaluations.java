package dev.unroll.examples.generation;

import dev.unroll.training.Trainer;
import dev.unroll.training.TrainingListener;
import java.util.Locale;

/**
 * The generation demos' evaluations during training, as a {@link TrainingListener}: every
 * {@code every} iterations, and once at the end unless the last iteration had one, it hands where
 * training stands to a callback (which decodes held-out examples and prints their scores). The
 * evaluations' own time is left out of the seconds it reports, so that they count training alone.
 */
public final class Evaluations implements TrainingListener {

  /**
   * Where training stands.
   *
   * @param iteration iterations done
   * @param seconds training seconds so far (evaluations excluded)
   * @param trainLoss the mean training loss since the last evaluation
   * @param lr the learning rate of the last step
   */
  public record Progress(long iteration, double seconds, double trainLoss, double lr) {
    /** "it  1200    93.1 s  train loss 0.0123  lr 2.1e-03". */
    @Override
    public String toString() {
      return String.format(Locale.ROOT, "it %5d  %6.1f s  train loss %.4f  lr %.1e", iteration,
          seconds, trainLoss, lr);
    }
  }

  /** Called every {@code every} iterations and at the end. */
  @FunctionalInterface
  public interface Evaluation {
    void evaluate(Progress progress);
  }

  private final long every;
  private final Evaluation evaluation;
  private double lossSum;
  private long lossCount;
  private double lastLoss = Double.NaN;
  private double lr = Double.NaN;
  private long evaluationNanos;
  private Progress end;

  /** Calls {@code evaluation} every {@code every} iterations (0: only at the end). */
  public Evaluations(long every, Evaluation evaluation) {
    this.every = every;
    this.evaluation = evaluation;
  }

  @Override
  public void onIteration(Trainer.Progress p) {
    lossSum += p.trainLoss();
    lossCount++;
    lastLoss = p.trainLoss();
    lr = p.learningRate();
    if (every > 0 && p.iteration() % every == 0) {
      evaluate(new Progress(p.iteration(), training(p.seconds()), lossSum / lossCount, lr));
      lossSum = 0;
      lossCount = 0;
    }
  }

  @Override
  public void onFinish(Trainer.Result r) {
    end = new Progress(r.iterations(), training(r.seconds()),
        lossCount > 0 ? lossSum / lossCount : lastLoss, lr);
    if (every <= 0 || r.iterations() % every != 0) {
      evaluate(end);
    }
  }

  /** Where training ended (after {@link Trainer#fit()}). */
  public Progress end() {
    if (end == null) {
      throw new IllegalStateException("training has not finished");
    }
    return end;
  }

  private double training(double seconds) {
    return seconds - evaluationNanos / 1e9;
  }

  private void evaluate(Progress p) {
    long t0 = System.nanoTime();
    evaluation.evaluate(p);
    evaluationNanos += System.nanoTime() - t0;
  }
}
