package dev.unroll.training;

import java.io.Closeable;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The console progress bar as a listener: iterations against the total the stopping conditions allow,
 * the speed, an ETA, and the last losses and learning rate.
 *
 * <p>With a wall-clock budget the total is an estimate, made again at every step: the iterations done
 * plus those the speed so far fits into the budget's rest (or the iteration or epoch limit, when that
 * comes first), and the ETA is the budget's rest. Without any limit but early stopping or a stop
 * request the bar has no total.
 */
final class ConsoleProgress implements TrainingListener, Closeable {
  private final long limit;
  private final long budgetNanos;
  private ProgressBar bar;
  private long startIteration;
  private long startNanos;

  /**
   * @param limit the most iterations the run may take by its iteration and epoch limits, or -1
   * @param budgetNanos its wall-clock budget, or 0
   */
  ConsoleProgress(long limit, long budgetNanos) {
    this.limit = limit;
    this.budgetNanos = budgetNanos;
  }

  @Override
  public void onStart(Trainer.Progress p) {
    startIteration = p.iteration();
    startNanos = System.nanoTime();
    ProgressBarBuilder builder = new ProgressBarBuilder()
        .setTaskName("train")
        .setInitialMax(limit)
        .setStyle(ProgressBarStyle.ASCII)
        .setUnit(" it", 1)
        .showSpeed()
        .setUpdateIntervalMillis(250)
        .startsFrom(p.iteration(), Duration.ZERO);
    if (budgetNanos > 0) {
      builder.setEtaFunction(state -> Optional.of(Duration.ofNanos(eta(state.getCurrent()))));
    }
    bar = builder.build();
  }

  @Override
  public void onIteration(Trainer.Progress p) {
    if (budgetNanos > 0) {
      bar.maxHint(total(p.iteration(), System.nanoTime() - startNanos));
    }
    bar.stepTo(p.iteration());
    bar.setExtraMessage(String.format(Locale.ROOT, " loss %.4f%s lr %.2e", p.trainLoss(),
        Double.isNaN(p.validationLoss()) ? "" : String.format(Locale.ROOT, " val %.4f", p.validationLoss()),
        p.learningRate()));
  }

  @Override
  public void onFinish(Trainer.Result result) {
    close();
  }

  @Override
  public void close() {
    if (bar != null) {
      bar.close();
      bar = null;
    }
  }

  /**
   * The iterations the run will have taken at its end, estimated at {@code iteration} after
   * {@code elapsedNanos} of a budgeted run: the speed so far over the whole budget, or the iteration
   * and epoch limit when smaller.
   */
  long total(long iteration, long elapsedNanos) {
    long done = iteration - startIteration;
    long byBudget = done <= 0 || elapsedNanos <= 0 ? -1
        : startIteration + (long) Math.ceil(done * ((double) budgetNanos / elapsedNanos));
    if (byBudget < 0) {
      return limit;
    }
    return limit < 0 ? Math.max(byBudget, iteration) : Math.max(Math.min(limit, byBudget), iteration);
  }

  /** The time left of a budgeted run at {@code iteration}: the budget's rest, or less by the limit. */
  long eta(long iteration) {
    long elapsed = System.nanoTime() - startNanos;
    long rest = Math.max(0, budgetNanos - elapsed);
    long done = iteration - startIteration;
    if (limit > 0 && done > 0) {
      long byLimit = (long) ((double) elapsed / done * Math.max(0, limit - iteration));
      rest = Math.min(rest, byLimit);
    }
    return rest;
  }

  /** The most iterations the iteration and epoch limits allow, -1 when neither is set. */
  static long limit(long maxIterations, long maxEpochs, long batchesPerEpoch) {
    long total = maxIterations > 0 ? maxIterations : -1;
    if (maxEpochs > 0) {
      long byEpochs = maxEpochs * batchesPerEpoch;
      total = total < 0 ? byEpochs : Math.min(total, byEpochs);
    }
    return total;
  }
}
